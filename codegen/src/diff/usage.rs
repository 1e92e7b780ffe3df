//! Which way each object and enum travels (sent in requests, read from responses), on either
//! side of a comparison.

use std::collections::BTreeMap;

use crate::ir::{TyIr, Usage};
use crate::lower;
use crate::resolved::Model;

/// Which way each object and enum travels, on either side.
pub(super) struct Usages(BTreeMap<(String, String, String), Usage>);

impl Usages {
    /// The union of both sides' usage, as lowering computes it; an enum travels the ways the
    /// objects holding it do.
    pub(super) fn of(models: &[&Model]) -> Self {
        let mut map: BTreeMap<(String, String, String), Usage> = BTreeMap::new();
        let mut add = |key: (String, String, String), u: Usage| {
            let e = map.entry(key).or_default();
            e.request |= u.request;
            e.response |= u.response;
        };
        for model in models {
            let ir = lower::lower(model);
            for (v, vendor) in &ir.vendors {
                for (m, module) in &vendor.modules {
                    for s in &module.structs {
                        add((v.clone(), m.clone(), s.name.clone()), s.usage);
                        for f in &s.fields {
                            if let TyIr::Enum(p, _) = f.ty.leaf() {
                                let home = p.module.clone().unwrap_or_else(|| m.clone());
                                add((v.clone(), home, p.name.clone()), s.usage);
                            }
                        }
                    }
                }
            }
        }
        Usages(map)
    }

    /// How a type travels; a type no endpoint uses counts as travelling both ways.
    pub(super) fn get(&self, vendor: &str, module: &str, rust: &str) -> Usage {
        self.0
            .get(&(vendor.to_owned(), module.to_owned(), rust.to_owned()))
            .copied()
            .filter(|u| u.request || u.response)
            .unwrap_or(Usage {
                request: true,
                response: true,
            })
    }
}

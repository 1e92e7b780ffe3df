//! Folders and files: the vendor and module name of every file, the base of an endpoint's type
//! names and its client method, and the problems between files (two files that become one
//! module or one method, one API specified twice, one vendor needing two clients).

use std::collections::BTreeMap;

use super::{name_hint, Ctx, Problem};
use crate::diagnostic::Code;
use crate::ir::ClientFamily;
use crate::locate::DocPath;
use crate::naming;

/// The names of every file, by file index. A name that cannot be derived has been reported;
/// the raw text stands in for it so the other checks can go on.
pub(crate) struct Names {
    /// By file index.
    pub(crate) files: Vec<FileNames>,
}

/// The names of one file.
pub(crate) struct FileNames {
    /// The vendor folder as written.
    pub(crate) folder: String,
    /// The vendor module.
    pub(crate) vendor: String,
    /// The file's module.
    pub(crate) module: String,
    /// The endpoint's type and method names, for a file with `api`.
    pub(crate) endpoint: Option<EndpointNames>,
}

/// The names of an endpoint's generated items.
pub(crate) struct EndpointNames {
    /// Request, response and error-code types.
    pub(crate) types: naming::EndpointNames,
    /// The client method.
    pub(crate) method: String,
}

impl FileNames {
    /// Whether the file holds shared types only (no endpoint).
    pub(crate) fn shared(&self) -> bool {
        self.endpoint.is_none()
    }
}

pub(crate) fn check(cx: &mut Ctx<'_>) -> Names {
    let mut files = Vec::new();
    let mut vendors: BTreeMap<String, String> = BTreeMap::new();
    let mut modules: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut methods: BTreeMap<(String, String), usize> = BTreeMap::new();
    for i in 0..cx.files.len() {
        let f = &cx.files[i];
        let (folder, stem) = (f.source.vendor.clone(), f.source.module.clone());
        let vendor = match naming::module_name(&folder) {
            Ok(m) => {
                if let Some(other) = vendors.insert(m.clone(), folder.clone()) {
                    if other != folder {
                        cx.at_start(
                            i,
                            Problem::new(
                                Code::ModuleCollision,
                                format!(
                                    "vendor folders `{other}` and `{folder}` both become module `{m}`"
                                ),
                            )
                            .hint("rename one folder"),
                        );
                    }
                }
                m
            }
            Err(e) => {
                cx.at_start(
                    i,
                    Problem::new(
                        Code::BadName,
                        format!("vendor folder `{folder}` cannot be a Rust module name"),
                    )
                    .hint(name_hint(&e, "folder", "dingtalk")),
                );
                folder.clone()
            }
        };
        let module = match naming::module_name(&stem) {
            Ok(m) => {
                if let Some(first) = modules.insert((vendor.clone(), m.clone()), i) {
                    let other = cx.files[first].source.display.clone();
                    cx.at_start(
                        i,
                        Problem::new(
                            Code::ModuleCollision,
                            format!("this file and {other} both become module `{m}`"),
                        )
                        .hint("rename one file"),
                    );
                }
                m
            }
            Err(e) => {
                cx.at_start(
                    i,
                    Problem::new(
                        Code::BadName,
                        format!("file name `{stem}` cannot be a Rust module name"),
                    )
                    .hint(name_hint(&e, "file", "edu_period_create.yaml")),
                );
                stem.clone()
            }
        };
        let spec = &cx.files[i].spec;
        let base = match &spec.name {
            Some(name) => naming::type_name(name).unwrap_or_else(|e| {
                cx.at_value(
                    i,
                    &DocPath::root().key("name"),
                    Problem::new(
                        Code::BadName,
                        format!("`{name}` cannot be a Rust type name"),
                    )
                    .hint(name_hint(&e, "endpoint", "EduPeriodCreate")),
                );
                name.clone()
            }),
            // The module name is ASCII already (or reported above).
            None => naming::type_name(&module).unwrap_or_else(|_| module.clone()),
        };
        let method = spec.api.is_some().then(|| naming::method_name(&module));
        if let Some(method) = &method {
            // A paged endpoint also has a method for its pages and one for its items.
            let mut own = vec![method.clone()];
            if spec.pagination.is_some() {
                own.push(naming::pages_method(method));
                own.push(naming::items_method(method));
            }
            for name in own {
                // `new.yaml` gives method `new_endpoint`, as does `new_endpoint.yaml`.
                if let Some(first) = methods.insert((vendor.clone(), name.clone()), i) {
                    let other = cx.files[first].source.display.clone();
                    let paged =
                        spec.pagination.is_some() || cx.files[first].spec.pagination.is_some();
                    cx.at_key(
                        i,
                        &DocPath::root().key("api"),
                        Problem::new(
                            Code::NameCollision,
                            format!(
                                "this endpoint and the one in {other} both become client method `{name}`"
                            ),
                        )
                        .hint(if paged {
                            "rename one file (a paged endpoint `x` also has the methods \
                             `x_pages` and `x_items`)"
                        } else {
                            "rename one file"
                        }),
                    );
                }
            }
        }
        files.push(FileNames {
            folder,
            vendor,
            module,
            endpoint: method.map(|method| EndpointNames {
                types: naming::endpoint_names(&base),
                method,
            }),
        });
    }
    api_names(cx);
    families(cx);
    Names { files }
}

fn api_names(cx: &mut Ctx<'_>) {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let api = DocPath::root().key("api");
    for i in 0..cx.files.len() {
        let Some(name) = cx.files[i].spec.api.clone() else {
            continue;
        };
        match seen.get(&name) {
            Some(&first) => {
                let there = cx.place(first, &api);
                cx.at_value(
                    i,
                    &api,
                    Problem::new(
                        Code::DuplicateApi,
                        format!("API `{name}` is already specified at {there}"),
                    )
                    .hint("each API has one spec file; merge the two"),
                );
            }
            None => {
                seen.insert(name, i);
            }
        }
    }
}

fn families(cx: &mut Ctx<'_>) {
    let mut family: BTreeMap<String, (ClientFamily, usize)> = BTreeMap::new();
    let protocol = DocPath::root().key("protocol");
    for i in 0..cx.files.len() {
        let Some(p) = cx.files[i].spec.protocol else {
            continue;
        };
        let vendor = cx.files[i].source.vendor.clone();
        let fam = ClientFamily::of(p);
        match family.get(&vendor) {
            Some(&(f, first)) if f != fam => {
                let there = cx.place(first, &protocol);
                cx.at_value(
                    i,
                    &protocol,
                    Problem::new(
                        Code::MixedVendor,
                        format!(
                            "protocol `{}` needs the {} but vendor `{vendor}` already uses the {} ({there})",
                            p.as_str(),
                            fam.client_type(),
                            f.client_type()
                        ),
                    )
                    .hint("put the spec under a vendor folder of its own"),
                );
            }
            Some(_) => {}
            None => {
                family.insert(vendor, (fam, i));
            }
        }
    }
}

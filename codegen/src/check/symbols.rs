//! The named types and where each can be seen from.
//!
//! A type defined in an endpoint's file belongs to that endpoint's module: another endpoint may
//! define a type of the same name with other fields. A file without `api` holds the vendor's
//! shared types. A name resolves to the file's own type first, then to the one shared file that
//! defines it; `common.Step` names the type `Step` of the shared file `common.yaml` explicitly.

use std::collections::{BTreeMap, BTreeSet};

use super::layout::Names;
use super::{name_hint, Ctx, Problem};
use crate::diagnostic::Code;
use crate::ir::EnumRepr;
use crate::locate::DocPath;
use crate::naming;
use crate::typeexpr::TypeName;

/// Most type names a hint lists: a vendor with hundreds of endpoints has thousands.
const KNOWN_SHOWN: usize = 24;

/// Every named type, by defining file and spec name.
pub(crate) struct Symbols {
    types: BTreeMap<(usize, String), Entry>,
    /// Types whose `fields` or `enum` were taken out with a structural problem: references to
    /// them say nothing more.
    broken: BTreeSet<(usize, String)>,
    /// Per vendor folder: its shared files, by file stem as written.
    shared: BTreeMap<String, BTreeMap<String, usize>>,
}

/// One named type.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// The defining file.
    pub(crate) file: usize,
    /// The defining module.
    pub(crate) module: String,
    /// The spec name.
    pub(crate) name: String,
    /// The Rust type name.
    pub(crate) rust: String,
    /// Object or enum.
    pub(crate) kind: Kind,
}

/// What a named type is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// An object.
    Object,
    /// An enum of this representation.
    Enum(EnumRepr),
}

/// Why a reference does not resolve.
pub(crate) enum Miss {
    /// Nothing visible has the name; the problem to report.
    Unknown(Problem),
    /// The definition was taken out with a structural problem already reported.
    Dropped,
}

pub(crate) fn build(cx: &mut Ctx<'_>, names: &Names) -> Symbols {
    let mut symbols = Symbols {
        types: BTreeMap::new(),
        broken: BTreeSet::new(),
        shared: BTreeMap::new(),
    };
    for (i, n) in names.files.iter().enumerate() {
        if n.shared() {
            symbols
                .shared
                .entry(n.folder.clone())
                .or_default()
                .insert(cx.files[i].source.module.clone(), i);
        }
        // Rust type names taken in this module, with where.
        let mut taken: BTreeMap<String, DocPath> = BTreeMap::new();
        if let Some(ep) = &n.endpoint {
            let t = &ep.types;
            for name in [&t.request, &t.response, &t.error_code] {
                taken.insert(name.clone(), DocPath::root().key("api"));
            }
        }
        let spec = &cx.files[i].spec;
        let defs: Vec<_> = spec
            .types
            .iter()
            .map(|(name, def)| (name.clone(), def.fields.is_some(), def.values.clone()))
            .collect();
        for (name, has_fields, values) in defs {
            let path = DocPath::root().key("types").key(name.as_str());
            let kind = match (has_fields, &values) {
                (true, None) => Kind::Object,
                (false, Some(values)) => {
                    let ints = !values.is_empty() && values.iter().all(|v| v.value.is_i64());
                    Kind::Enum(if ints { EnumRepr::Int } else { EnumRepr::Str })
                }
                (true, Some(_)) => {
                    symbols.broken.insert((i, name.clone()));
                    cx.at_key(
                        i,
                        &path,
                        Problem::new(
                            Code::TypeShape,
                            format!("type `{name}` has both `fields` and `enum`"),
                        )
                        .hint("a type is either an object (`fields`) or an enum (`enum`); split it in two"),
                    );
                    continue;
                }
                (false, None)
                    if ["fields", "enum"]
                        .iter()
                        .any(|k| cx.dropped(i, &path.key(*k)))
                        || cx.lost_a_key(i, &path) =>
                {
                    symbols.broken.insert((i, name.clone()));
                    continue;
                }
                (false, None) => {
                    symbols.broken.insert((i, name.clone()));
                    cx.at_key(
                        i,
                        &path,
                        Problem::new(
                            Code::TypeShape,
                            format!("type `{name}` has neither `fields` nor `enum`"),
                        )
                        .hint("add `fields:` for an object or `enum:` for a list of values"),
                    );
                    continue;
                }
            };
            let rust = match naming::type_name(&name) {
                Ok(rust) => rust,
                Err(e) => {
                    cx.at_key(
                        i,
                        &path,
                        Problem::new(
                            Code::BadName,
                            format!("type name `{name}` cannot be a Rust type name"),
                        )
                        .hint(name_hint(&e, "type", "OpenPeriod")),
                    );
                    name.clone()
                }
            };
            if let Some(first) = taken.get(&rust) {
                let there = cx.place(i, first);
                cx.at_key(
                    i,
                    &path,
                    Problem::new(
                        Code::NameCollision,
                        format!("type name `{rust}` is already used in this module ({there})"),
                    )
                    .hint("rename one of them, or set the endpoint's `name`"),
                );
            } else {
                taken.insert(rust.clone(), path);
            }
            symbols.types.insert(
                (i, name.clone()),
                Entry {
                    file: i,
                    module: n.module.clone(),
                    name,
                    rust,
                    kind,
                },
            );
        }
    }
    symbols
}

impl Symbols {
    /// The type `name` refers to from file `from`.
    pub(crate) fn lookup(
        &self,
        cx: &Ctx<'_>,
        from: usize,
        name: &TypeName,
    ) -> Result<&Entry, Miss> {
        let folder = &cx.files[from].source.vendor;
        let shared = self.shared.get(folder);
        let defined = |file: usize| {
            self.types.get(&(file, name.name.clone())).ok_or_else(|| {
                self.broken.contains(&(file, name.name.clone()))
                    || cx.dropped(file, &DocPath::root().key("types").key(name.name.as_str()))
            })
        };
        if let Some(stem) = &name.file {
            return match shared.and_then(|s| s.get(stem)) {
                Some(&file) => defined(file).map_err(|dropped| {
                    if dropped {
                        Miss::Dropped
                    } else {
                        Miss::Unknown(
                            Problem::new(
                                Code::UnknownType,
                                format!("the shared file `{stem}` defines no type `{}`", name.name),
                            )
                            .hint(self.known(cx, &[file])),
                        )
                    }
                }),
                None => {
                    let endpoint_file = (0..cx.files.len()).find(|&f| {
                        &cx.files[f].source.vendor == folder && cx.files[f].source.module == *stem
                    });
                    let hint = match endpoint_file {
                        Some(f) => format!(
                            "{} is an endpoint's file, whose types are its own; move the type to \
                             a file without `api` (for example `{folder}/common.yaml`) to share it",
                            cx.files[f].source.display
                        ),
                        None => format!(
                            "vendor `{folder}` has no shared file `{stem}.yaml`; shared types live \
                             in files without `api`"
                        ),
                    };
                    Err(Miss::Unknown(
                        Problem::new(Code::UnknownType, format!("unknown type `{name}`"))
                            .hint(hint),
                    ))
                }
            };
        }
        match defined(from) {
            Ok(e) => return Ok(e),
            Err(true) => return Err(Miss::Dropped),
            Err(false) => {}
        }
        let mut found = Vec::new();
        for &file in shared.map(|s| s.values()).into_iter().flatten() {
            match defined(file) {
                Ok(e) => found.push(e),
                Err(true) => return Err(Miss::Dropped),
                Err(false) => {}
            }
        }
        match found.as_slice() {
            [one] => Ok(one),
            [] => {
                let elsewhere = self
                    .types
                    .values()
                    .find(|e| e.name == name.name && &cx.files[e.file].source.vendor == folder);
                let hint = match elsewhere {
                    Some(e) => format!(
                        "`{}` is defined in {}, an endpoint's file, whose types are its own; \
                         move it to a file without `api` (for example `{folder}/common.yaml`) to \
                         share it, or define it here",
                        name.name, cx.files[e.file].source.display
                    ),
                    None => {
                        let mut visible = vec![from];
                        visible.extend(shared.map(|s| s.values().copied()).into_iter().flatten());
                        let known = self.known(cx, &visible);
                        match self.closest(&visible, &name.name) {
                            Some(close) => format!("did you mean `{close}`? {known}"),
                            None => known,
                        }
                    }
                };
                Err(Miss::Unknown(
                    Problem::new(Code::UnknownType, format!("unknown type `{name}`")).hint(hint),
                ))
            }
            many => {
                let stems: Vec<String> = many
                    .iter()
                    .map(|e| format!("`{}.{}`", cx.files[e.file].source.module, name.name))
                    .collect();
                Err(Miss::Unknown(
                    Problem::new(
                        Code::AmbiguousType,
                        format!("type `{name}` is defined in more than one shared file"),
                    )
                    .hint(format!("name the one you mean: {}", stems.join(" or "))),
                ))
            }
        }
    }

    /// The type a file defines under `name`.
    pub(crate) fn own(&self, file: usize, name: &str) -> Option<&Entry> {
        self.types.get(&(file, name.to_owned()))
    }

    /// The type of the files `visible` whose name is closest to `name`, when one is close
    /// enough to be a misspelling of it.
    fn closest(&self, visible: &[usize], name: &str) -> Option<&str> {
        self.types
            .values()
            .filter(|e| visible.contains(&e.file))
            .map(|e| (strsim::damerau_levenshtein(&e.name, name), e.name.as_str()))
            .filter(|(d, n)| *d <= 2 && *d < n.len().min(name.len()))
            .min()
            .map(|(_, n)| n)
    }

    /// A hint listing the types the files `visible` define.
    fn known(&self, cx: &Ctx<'_>, visible: &[usize]) -> String {
        let names: Vec<String> = self
            .types
            .values()
            .filter(|e| visible.contains(&e.file))
            .map(|e| {
                if e.file == visible[0] {
                    e.name.clone()
                } else {
                    format!("{}.{}", cx.files[e.file].source.module, e.name)
                }
            })
            .collect();
        match names.len() {
            0 => "no type is defined here or in a shared file of the vendor; add it under `types:`"
                .to_owned(),
            n if n > KNOWN_SHOWN => format!(
                "types in scope: {}, and {} more",
                names[..KNOWN_SHOWN].join(", "),
                n - KNOWN_SHOWN
            ),
            _ => format!("types in scope: {}", names.join(", ")),
        }
    }
}

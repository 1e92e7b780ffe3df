//! Walking two resolved models side by side: modules by vendor and name, then each module's
//! endpoint, objects (the request and response by role, named objects by Rust name), enums and
//! error codes, each compared in a file of its own.

use std::collections::BTreeSet;

use super::usage::Usages;
use super::{Change, ChangeKind, Level, WireEffect};
use crate::ir::{ClientFamily, RouteIr, Usage};
use crate::resolved::{Endpoint, Loc, Model, Module, Object, Role, Value};

/// Every change from `old` to `new`, unsorted.
pub(super) fn changes(old: &Model, new: &Model) -> Vec<Change> {
    let mut walk = Walk {
        usage: Usages::of(&[old, new]),
        out: Vec::new(),
        module: String::new(),
        vendor: String::new(),
        module_name: String::new(),
    };
    let mut keys = BTreeSet::new();
    for model in [old, new] {
        for (v, vendor) in &model.vendors {
            for m in vendor.modules.keys() {
                keys.insert((v.clone(), m.clone()));
            }
        }
    }
    for (v, m) in keys {
        walk.vendor = v.clone();
        walk.module_name = m.clone();
        walk.module = format!("{v}::{m}");
        walk.module_pair(find(old, &v, &m), find(new, &v, &m));
    }
    walk.out
}

fn find<'a>(model: &'a Model, vendor: &str, module: &str) -> Option<&'a Module> {
    model
        .vendors
        .get(vendor)
        .and_then(|v| v.modules.get(module))
}

/// The walk's state: the changes so far and the module being compared.
pub(super) struct Walk {
    pub(super) usage: Usages,
    pub(super) out: Vec<Change>,
    /// `vendor::module`.
    pub(super) module: String,
    pub(super) vendor: String,
    pub(super) module_name: String,
}

/// Both sides' locations of one change.
pub(super) type Locs<'a> = (Option<&'a Loc>, Option<&'a Loc>);

/// The effects that apply, given which way the type travels.
pub(super) fn effects(
    usage: Usage,
    request: Option<WireEffect>,
    response: Option<WireEffect>,
) -> Vec<WireEffect> {
    let mut out: Vec<WireEffect> = [
        request.filter(|_| usage.request),
        response.filter(|_| usage.response),
    ]
    .into_iter()
    .flatten()
    .collect();
    out.sort();
    out.dedup();
    out
}

/// A spec file's first line: the place of what has no key of its own.
pub(super) fn module_loc(m: &Module) -> Loc {
    Loc {
        file: m.source.clone(),
        line: 1,
        col: 1,
    }
}

impl Walk {
    pub(super) fn add(
        &mut self,
        kind: ChangeKind,
        path: String,
        detail: String,
        (old, new): Locs<'_>,
        rust: Level,
        wire: Vec<WireEffect>,
    ) {
        self.out.push(Change {
            module: self.module.clone(),
            path,
            kind,
            detail,
            old: old.cloned(),
            new: new.cloned(),
            rust,
            wire,
        });
    }

    pub(super) fn usage_of(&self, rust: &str) -> Usage {
        self.usage.get(&self.vendor, &self.module_name, rust)
    }

    pub(super) fn type_path(&self, rust: &str) -> String {
        format!("{}::{rust}", self.module)
    }

    fn module_pair(&mut self, old: Option<&Module>, new: Option<&Module>) {
        match (old, new) {
            (Some(o), None) => self.module_alone(o, true),
            (None, Some(n)) => self.module_alone(n, false),
            (Some(o), Some(n)) => self.modules(o, n),
            (None, None) => {}
        }
    }

    /// A module on one side only: its endpoint, or each of its types.
    fn module_alone(&mut self, m: &Module, removed: bool) {
        let (kind, level) = if removed {
            (ChangeKind::EndpointRemoved, Level::Major)
        } else {
            (ChangeKind::EndpointAdded, Level::Minor)
        };
        if let Some(e) = &m.endpoint {
            let locs = if removed {
                (Some(&e.at), None)
            } else {
                (None, Some(&e.at))
            };
            let detail = format!("{} ({})", e.api, e.title);
            self.add(kind, self.module.clone(), detail, locs, level, Vec::new());
            return;
        }
        for (rust, at, what) in types_of(m) {
            self.type_alone(rust, at, what, None, removed);
        }
    }

    /// A named type on one side only.
    pub(super) fn type_alone(
        &mut self,
        rust: &str,
        at: &Loc,
        what: &str,
        parent: Option<&Loc>,
        removed: bool,
    ) {
        let (kind, level, locs) = if removed {
            (ChangeKind::TypeRemoved, Level::Major, (Some(at), parent))
        } else {
            (ChangeKind::TypeAdded, Level::Minor, (parent, Some(at)))
        };
        self.add(
            kind,
            self.type_path(rust),
            what.to_owned(),
            locs,
            level,
            Vec::new(),
        );
    }

    fn modules(&mut self, o: &Module, n: &Module) {
        let (o_loc, n_loc) = (module_loc(o), module_loc(n));
        let both_endpoints = match (&o.endpoint, &n.endpoint) {
            (Some(oe), Some(ne)) => {
                self.endpoints(oe, ne);
                true
            }
            (Some(oe), None) => {
                let detail = format!("{} ({})", oe.api, oe.title);
                self.add(
                    ChangeKind::EndpointRemoved,
                    self.module.clone(),
                    detail,
                    (Some(&oe.at), Some(&n_loc)),
                    Level::Major,
                    Vec::new(),
                );
                false
            }
            (None, Some(ne)) => {
                let detail = format!("{} ({})", ne.api, ne.title);
                self.add(
                    ChangeKind::EndpointAdded,
                    self.module.clone(),
                    detail,
                    (Some(&o_loc), Some(&ne.at)),
                    Level::Minor,
                    Vec::new(),
                );
                false
            }
            (None, None) => false,
        };
        self.objects(o, n);
        self.enums(o, n);
        if both_endpoints {
            if let (Some(oe), Some(ne)) = (&o.endpoint, &n.endpoint) {
                self.error_tables(o.errors.as_ref(), n.errors.as_ref(), oe, ne);
            }
        }
    }

    fn endpoints(&mut self, o: &Endpoint, n: &Endpoint) {
        let locs = (Some(&o.at), Some(&n.at));
        let path = self.module.clone();
        if o.protocol != n.protocol {
            // The client method moves to another client when the family changes.
            let level = if ClientFamily::of(o.protocol) == ClientFamily::of(n.protocol) {
                Level::Patch
            } else {
                Level::Major
            };
            self.add(
                ChangeKind::ProtocolChanged,
                path.clone(),
                format!("{} -> {}", o.protocol.as_str(), n.protocol.as_str()),
                locs,
                level,
                vec![
                    WireEffect::RequestsSentDifferently,
                    WireEffect::ResponsesMayFailToDecode,
                ],
            );
        }
        if o.method != n.method {
            self.add(
                ChangeKind::MethodChanged,
                path.clone(),
                format!("{:?} -> {:?}", o.method, n.method).to_uppercase(),
                locs,
                Level::Patch,
                vec![WireEffect::RequestsSentDifferently],
            );
        }
        let (or, nr) = (route(&o.route), route(&n.route));
        if or != nr {
            self.add(
                ChangeKind::RouteChanged,
                path,
                format!("{or} -> {nr}"),
                locs,
                Level::Patch,
                vec![WireEffect::RequestsSentDifferently],
            );
        }
        for (what, a, b) in [
            ("request", &o.request, &n.request),
            ("response", &o.response, &n.response),
        ] {
            if a != b {
                self.add(
                    ChangeKind::TypeRenamed,
                    self.type_path(b),
                    format!("{what} type {a} -> {b}"),
                    locs,
                    Level::Major,
                    Vec::new(),
                );
            }
        }
    }

    fn objects(&mut self, o: &Module, n: &Module) {
        let n_enums: BTreeSet<&str> = n.enums.iter().map(|e| e.rust.as_str()).collect();
        let o_enums: BTreeSet<&str> = o.enums.iter().map(|e| e.rust.as_str()).collect();
        let (o_loc, n_loc) = (module_loc(o), module_loc(n));
        for oo in &o.objects {
            let other = n.objects.iter().find(|no| same_object(oo, no));
            match other {
                Some(no) => self.object(oo, no),
                None => match oo.role {
                    // Part of an endpoint added or removed: reported with it.
                    Role::Request | Role::Response => {}
                    Role::Named(_) if n_enums.contains(oo.rust.as_str()) => {
                        let ne = n.enums.iter().find(|e| e.rust == oo.rust);
                        let usage = self.usage_of(&oo.rust);
                        self.add(
                            ChangeKind::TypeKindChanged,
                            self.type_path(&oo.rust),
                            "object -> enum".to_owned(),
                            (Some(&oo.at), ne.map(|e| &e.at)),
                            Level::Major,
                            effects(
                                usage,
                                Some(WireEffect::RequestsMayBeRefused),
                                Some(WireEffect::ResponsesMayFailToDecode),
                            ),
                        );
                    }
                    Role::Named(_) => {
                        self.type_alone(&oo.rust, &oo.at, "object", Some(&n_loc), true);
                    }
                },
            }
        }
        for no in &n.objects {
            if o.objects.iter().any(|oo| same_object(oo, no)) {
                continue;
            }
            match no.role {
                Role::Request | Role::Response => {}
                Role::Named(_) if o_enums.contains(no.rust.as_str()) => {
                    let oe = o.enums.iter().find(|e| e.rust == no.rust);
                    let usage = self.usage_of(&no.rust);
                    self.add(
                        ChangeKind::TypeKindChanged,
                        self.type_path(&no.rust),
                        "enum -> object".to_owned(),
                        (oe.map(|e| &e.at), Some(&no.at)),
                        Level::Major,
                        effects(
                            usage,
                            Some(WireEffect::RequestsMayBeRefused),
                            Some(WireEffect::ResponsesMayFailToDecode),
                        ),
                    );
                }
                Role::Named(_) => self.type_alone(&no.rust, &no.at, "object", Some(&o_loc), false),
            }
        }
    }

    fn object(&mut self, o: &Object, n: &Object) {
        let usage = {
            let (a, b) = (self.usage_of(&o.rust), self.usage_of(&n.rust));
            Usage {
                request: a.request || b.request,
                response: a.response || b.response,
            }
        };
        let base = self.type_path(&n.rust);
        self.fields(o, n, &base, usage);
        self.rules(o, n, &base, usage);
        self.groups(o, n, &base, usage);
        self.item_result(o, n, &base);
    }
}

/// Major when the change breaks code that compiled, else patch.
pub(super) fn level_of(breaks: bool) -> Level {
    if breaks {
        Level::Major
    } else {
        Level::Patch
    }
}

/// The request and response match by role, named objects by Rust name.
fn same_object(a: &Object, b: &Object) -> bool {
    match (&a.role, &b.role) {
        (Role::Request, Role::Request) | (Role::Response, Role::Response) => true,
        (Role::Named(_), Role::Named(_)) => a.rust == b.rust,
        _ => false,
    }
}

/// A module's named types: Rust name, place and what it is.
fn types_of(m: &Module) -> Vec<(&str, &Loc, &'static str)> {
    let objects = m
        .objects
        .iter()
        .filter(|o| matches!(o.role, Role::Named(_)))
        .map(|o| (o.rust.as_str(), &o.at, "object"));
    let enums = m.enums.iter().map(|e| (e.rust.as_str(), &e.at, "enum"));
    objects.chain(enums).collect()
}

fn route(r: &RouteIr) -> String {
    match r {
        RouteIr::Path(p) => p.clone(),
        RouteIr::TopMethod(m) => format!("TOP method {m}"),
        RouteIr::Action { path, action } => format!("{path}?action={action}"),
    }
}

/// A value as the report shows it: text quoted, a variant with its wire value.
pub(super) fn shown_value(v: &Value) -> String {
    match v {
        Value::Str(s) => format!("{s:?}"),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Variant(_, variant, wire) => format!("{variant} ({})", shown_value(wire)),
    }
}

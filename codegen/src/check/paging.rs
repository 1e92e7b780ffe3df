//! An endpoint's `pagination`: the keys of its style and no other, request fields that exist at
//! the top level with a type the position fits in, and response paths that lead through
//! objects to a list of items, a flag and a cursor. A field missing because of a problem
//! already reported is passed over in silence.

use std::collections::BTreeMap;

use super::fields::{Objects, Placed};
use super::{Ctx, Problem};
use crate::diagnostic::Code;
use crate::locate::DocPath;
use crate::model::{PageStyleName, PaginationDef};
use crate::resolved::{Endpoint, Field, FieldPath, PageField, PageStyle, Pagination, Role, Ty};
use crate::typeexpr::Prim;

pub(crate) fn check<'a>(
    cx: &mut Ctx<'a>,
    objects: &Objects<'a>,
    endpoints: &mut BTreeMap<usize, Endpoint>,
) {
    for (&i, endpoint) in endpoints.iter_mut() {
        let Some(def) = &cx.files[i].spec.pagination else {
            continue;
        };
        let of_role = |role: Role| {
            objects
                .list
                .iter()
                .find(|p| p.file == i && p.object.role == role)
        };
        let (Some(request), Some(response)) = (of_role(Role::Request), of_role(Role::Response))
        else {
            continue;
        };
        let at = DocPath::root().key("pagination");
        let mut page = Paging {
            cx,
            objects,
            file: i,
            at: &at,
            ok: true,
        };
        let pagination = page.resolve(def, request, response);
        if page.ok {
            endpoint.pagination = pagination;
        }
    }
}

/// One endpoint's pagination being checked; `ok` turns false at the first problem.
struct Paging<'c, 'a, 'o> {
    cx: &'c mut Ctx<'a>,
    objects: &'o Objects<'a>,
    file: usize,
    at: &'c DocPath,
    ok: bool,
}

impl<'a> Paging<'_, 'a, '_> {
    fn resolve(
        &mut self,
        def: &PaginationDef,
        request: &Placed<'a>,
        response: &Placed<'a>,
    ) -> Option<Pagination> {
        // The keys of the style (each with whether it is given), and those of the other one.
        let cursor_keys = [
            ("cursor", def.cursor.is_some()),
            ("next_cursor", def.next_cursor.is_some()),
        ];
        let offset_keys = [
            ("offset", def.offset.is_some()),
            ("size", def.size.is_some()),
        ];
        let (own, other) = match def.style {
            PageStyleName::Cursor => (&cursor_keys[..], &offset_keys[..]),
            // `size` is optional.
            PageStyleName::Offset => (&offset_keys[..1], &cursor_keys[..]),
        };
        let style = match def.style {
            PageStyleName::Cursor => "cursor",
            PageStyleName::Offset => "offset",
        };
        for &(key, _) in own.iter().filter(|(_, given)| !given) {
            self.problem(
                &self.at.key("style"),
                format!("{style}-style pagination needs `{key}`"),
                match key {
                    "cursor" => "name the request field that carries the cursor, for example `cursor: cursor`",
                    "next_cursor" => "give the path of the response field that holds the next cursor, for example `next_cursor: result.next_cursor`",
                    _ => "name the request field that carries the offset, for example `offset: offset`",
                },
            );
        }
        for &(key, _) in other.iter().filter(|(_, given)| *given) {
            self.problem(
                &self.at.key(key),
                format!("`{key}` does not belong to {style}-style pagination"),
                "cursor style takes `cursor` and `next_cursor`; offset style takes `offset` and `size`",
            );
        }

        let items = self.path(response, "items", &def.items);
        let items = items.filter(|p| {
            let fits = matches!(p.ty, Ty::List(_));
            if !fits {
                self.problem(
                    &self.at.key("items"),
                    format!("`{}` is not a list", def.items),
                    "`items` is the path of the response's list of results",
                );
            }
            fits
        });
        let has_more = def.has_more.as_ref().and_then(|path| {
            let p = self.path(response, "has_more", path)?;
            if p.ty != Ty::Prim(Prim::Bool) {
                self.problem(
                    &self.at.key("has_more"),
                    format!("`{path}` is not a bool"),
                    "`has_more` is the response's flag saying whether more pages follow",
                );
                return None;
            }
            Some(p)
        });
        let paged = match def.style {
            PageStyleName::Cursor => {
                let cursor = def.cursor.as_ref().and_then(|wire| {
                    self.request_field(
                        request,
                        "cursor",
                        wire,
                        &[Prim::Int32, Prim::Int64, Prim::String],
                    )
                });
                let next = def.next_cursor.as_ref().and_then(|path| {
                    let p = self.path(response, "next_cursor", path)?;
                    if !matches!(p.ty, Ty::Prim(Prim::Int32 | Prim::Int64 | Prim::String)) {
                        self.problem(
                            &self.at.key("next_cursor"),
                            format!("`{path}` is neither a number nor text"),
                            "a cursor is an int32, int64 or string field",
                        );
                        return None;
                    }
                    Some(p)
                });
                match (cursor, next) {
                    (Some(cursor), Some(next_cursor)) => Some(PageStyle::Cursor {
                        cursor,
                        next_cursor,
                    }),
                    _ => None,
                }
            }
            PageStyleName::Offset => {
                let ints = [Prim::Int32, Prim::Int64];
                let offset = def
                    .offset
                    .as_ref()
                    .and_then(|wire| self.request_field(request, "offset", wire, &ints));
                let size = match &def.size {
                    Some(wire) => self.request_field(request, "size", wire, &ints).map(Some),
                    None => Some(None),
                };
                match (offset, size) {
                    (Some(offset), Some(size)) => Some(PageStyle::Offset { offset, size }),
                    _ => None,
                }
            }
        };
        Some(Pagination {
            at: self.cx.loc(self.file, self.at),
            style: paged?,
            items: items?,
            has_more,
        })
    }

    fn problem(&mut self, path: &DocPath, message: String, hint: &str) {
        self.ok = false;
        self.cx.at_value(
            self.file,
            path,
            Problem::new(Code::BadPagination, message).hint(hint),
        );
    }

    /// The field `wire` of `object` (which messages call `within`), or `None` after reporting
    /// it missing with `hint` on what `key` names, unless a problem already reported took it out.
    fn lookup<'p>(
        &mut self,
        object: &'p Placed<'a>,
        key: &str,
        wire: &str,
        within: &str,
        hint: &str,
    ) -> Option<&'p Field> {
        if let Some(f) = object.object.fields.iter().find(|f| f.wire == wire) {
            return Some(f);
        }
        if object.is_broken(self.cx, wire) {
            self.ok = false;
        } else {
            let names = field_names(object);
            self.problem(
                &self.at.key(key),
                format!("{within} has no field `{wire}`"),
                &format!("`{key}` {hint}; the fields there are {names}"),
            );
        }
        None
    }

    /// The top-level request field `wire`, whose type must be one of `prims`.
    fn request_field(
        &mut self,
        request: &Placed<'a>,
        key: &str,
        wire: &str,
        prims: &[Prim],
    ) -> Option<PageField> {
        let hint = "names a top-level request field by its wire name";
        let f = self.lookup(request, key, wire, "the request", hint)?;
        match &f.ty {
            Ty::Prim(p) if prims.contains(p) => Some(PageField {
                rust: f.rust.clone(),
                prim: *p,
                optional: f.optional(),
            }),
            _ => {
                let allowed: Vec<&str> = prims.iter().map(|p| p.as_str()).collect();
                self.problem(
                    &self.at.key(key),
                    format!("request field `{wire}` cannot carry the {key}"),
                    &format!("the {key} field is {}", allowed.join(" or ")),
                );
                None
            }
        }
    }

    /// The response field at the dotted `path`, through object fields.
    fn path(&mut self, response: &Placed<'a>, key: &str, path: &str) -> Option<FieldPath> {
        let folder = self.cx.files[self.file].source.vendor.clone();
        let mut object = response;
        let mut steps = Vec::new();
        let segments: Vec<&str> = path.split('.').collect();
        for (n, seg) in segments.iter().enumerate() {
            let within = if n == 0 {
                "the response".to_owned()
            } else {
                format!("`{}`", segments[..n].join("."))
            };
            let hint = "is a path of wire names from the response, joined by `.`";
            let f = self.lookup(object, key, seg, &within, hint)?;
            steps.push((f.rust.clone(), f.optional()));
            if n + 1 == segments.len() {
                return Some(FieldPath {
                    steps,
                    ty: f.ty.clone(),
                });
            }
            let next = match &f.ty {
                Ty::Object(r) => self.objects.find(&folder, r),
                _ => None,
            };
            let Some(next) = next else {
                self.problem(
                    &self.at.key(key),
                    format!("`{}` is not an object", segments[..=n].join(".")),
                    "only object fields lead further along a path (a path cannot go into a list)",
                );
                return None;
            };
            object = next;
        }
        None
    }
}

/// The wire names of an object's fields, for hints.
fn field_names(p: &Placed<'_>) -> String {
    let names: Vec<String> = p
        .object
        .fields
        .iter()
        .map(|f| format!("`{}`", f.wire))
        .collect();
    if names.is_empty() {
        "none".to_owned()
    } else {
        names.join(", ")
    }
}

//! What holds between fields of one object: rules (a condition on one field, a check on
//! another), groups (of which one, at least one or at most one must be set) and per-item result
//! markers. Every field they name must exist and have a type that fits; a field that is missing
//! because of a problem already reported is passed over in silence.

use super::enums::Enums;
use super::fields::{Objects, Placed};
use super::values::{typed, Unfit};
use super::{show_value, Ctx, Problem};
use crate::diagnostic::Code;
use crate::ir::FieldRef;
use crate::locate::DocPath;
use crate::model::{GroupDef, RuleDef};
use crate::resolved::{Check, Field, Group, GroupKind, ItemResult, Rule, Test, Ty, Value};
use crate::typeexpr::Prim;

pub(crate) fn check(cx: &mut Ctx<'_>, enums: &Enums, objects: &mut Objects) {
    let mut found = Vec::new();
    for placed in &objects.list {
        let rules = placed
            .rules
            .iter()
            .enumerate()
            .filter_map(|(k, r)| rule(cx, objects, enums, placed, k, r))
            .collect::<Vec<_>>();
        let groups = placed
            .groups
            .iter()
            .enumerate()
            .filter_map(|(k, g)| group(cx, placed, k, g))
            .collect::<Vec<_>>();
        let item_result = item_result(cx, enums, placed);
        found.push((rules, groups, item_result));
    }
    for (placed, (rules, groups, item_result)) in objects.list.iter_mut().zip(found) {
        placed.object.rules = rules;
        placed.object.groups = groups;
        placed.object.item_result = item_result;
    }
}

/// The field `wire` of an object, or `None` after reporting it missing (unless it is missing
/// because of a problem already reported).
fn field<'p>(
    cx: &mut Ctx<'_>,
    placed: &'p Placed,
    wire: &str,
    at: &DocPath,
    code: Code,
    what: &str,
) -> Option<&'p Field> {
    if let Some(f) = placed.object.fields.iter().find(|f| f.wire == wire) {
        return Some(f);
    }
    if !placed.is_broken(cx, wire) {
        let names: Vec<&str> = placed
            .object
            .fields
            .iter()
            .map(|f| f.wire.as_str())
            .collect();
        cx.at_value(
            placed.file,
            at,
            Problem::new(
                code,
                format!("{what}: {} has no field `{wire}`", placed.label),
            )
            .hint(format!("its fields: {}", names.join(", "))),
        );
    }
    None
}

fn rule(
    cx: &mut Ctx<'_>,
    objects: &Objects,
    enums: &Enums,
    placed: &Placed,
    k: usize,
    r: &RuleDef,
) -> Option<Rule> {
    let rp = placed.path.key("rules").index(k);
    let what = format!("`rules[{k}]`");
    let folder = cx.files[placed.file].source.vendor.clone();
    // The condition.
    let w = &r.when;
    let tests = [
        w.equals.is_some(),
        w.not_equals.is_some(),
        w.in_.is_some(),
        w.present,
        w.absent,
    ];
    let when = field(
        cx,
        placed,
        &w.field,
        &rp.key("when").key("field"),
        Code::BadRule,
        &what,
    );
    let mut ok = when.is_some();
    // A misspelt key of `when` is reported already, and explains what `when` lacks.
    if tests.iter().filter(|t| **t).count() != 1 {
        if !cx.lost_a_key(placed.file, &rp.key("when")) {
            cx.at_key(
                placed.file,
                &rp.key("when"),
                Problem::new(
                    Code::BadRule,
                    format!("{what}: `when` needs exactly one of `equals`, `not_equals`, `in`, `present: true`, `absent: true`"),
                ),
            );
        }
        ok = false;
    }
    // Both halves are checked, so a rule with two problems reports both.
    let test = match when {
        Some(f) if ok => condition(cx, enums, &folder, placed.file, &rp, &what, f, r),
        _ => None,
    };
    let check = check_part(cx, objects, placed, &rp, &what, r);
    Some(Rule {
        at: cx.loc(placed.file, &rp),
        when: when?.reference(),
        test: test?,
        check: check?,
        severity: r.severity,
        description: r.description.clone(),
    })
}

#[allow(clippy::too_many_arguments)]
fn condition(
    cx: &mut Ctx<'_>,
    enums: &Enums,
    folder: &str,
    file: usize,
    rp: &DocPath,
    what: &str,
    f: &Field,
    r: &RuleDef,
) -> Option<Test> {
    let w = &r.when;
    let wp = rp.key("when");
    if w.present || w.absent {
        if !f.optional() {
            let key = if w.present { "present" } else { "absent" };
            cx.at_key(
                file,
                &wp.key(key),
                Problem::new(
                    Code::BadRule,
                    format!("{what}: field `{}` is always sent (it is required or has a default), so `{key}` never changes", f.wire),
                )
                .hint("compare its value with `equals`, `not_equals` or `in` instead"),
            );
            return None;
        }
        return Some(if w.present {
            Test::Present
        } else {
            Test::Absent
        });
    }
    let value = |cx: &mut Ctx<'_>, v: &serde_yaml::Value, at: DocPath| -> Option<Value> {
        match typed(folder, &f.ty, v, enums) {
            Ok(value) => Some(value),
            Err(Unfit::Silent) => None,
            Err(Unfit::Wrong { .. }) => {
                cx.at_value(
                    file,
                    &at,
                    Problem::new(
                        Code::BadRule,
                        format!(
                            "{what}: {} cannot be compared with field `{}` of type `{}`",
                            show_value(v),
                            f.wire,
                            shown(&f.ty)
                        ),
                    ),
                );
                None
            }
        }
    };
    if let Some(v) = &w.equals {
        return value(cx, v, wp.key("equals")).map(Test::Equals);
    }
    if let Some(v) = &w.not_equals {
        return value(cx, v, wp.key("not_equals")).map(Test::NotEquals);
    }
    let list = w.in_.as_ref()?;
    if list.is_empty() {
        cx.at_value(
            file,
            &wp.key("in"),
            Problem::new(
                Code::BadRule,
                format!("{what}: `in` lists no value, so the rule never applies"),
            ),
        );
        return None;
    }
    let values: Vec<Option<Value>> = list
        .iter()
        .enumerate()
        .map(|(n, v)| value(cx, v, wp.key("in").index(n)))
        .collect();
    values.into_iter().collect::<Option<Vec<_>>>().map(Test::In)
}

fn shown(ty: &Ty) -> String {
    match ty {
        Ty::Prim(p) => p.as_str().to_owned(),
        Ty::File => "file".to_owned(),
        Ty::List(inner) => format!("list<{}>", shown(inner)),
        Ty::Object(r) | Ty::Enum(r, _) => r.rust.clone(),
    }
}

fn check_part(
    cx: &mut Ctx<'_>,
    objects: &Objects,
    placed: &Placed,
    rp: &DocPath,
    what: &str,
    r: &RuleDef,
) -> Option<Check> {
    let c = &r.check;
    let kinds = [c.max_items.is_some(), c.absent, c.present];
    if kinds.iter().filter(|b| **b).count() != 1 {
        if cx.lost_a_key(placed.file, &rp.key("check")) {
            return None;
        }
        cx.at_key(
            placed.file,
            &rp.key("check"),
            Problem::new(
                Code::BadRule,
                format!("{what}: `check` needs exactly one of `max_items`, `absent: true`, `present: true`"),
            ),
        );
        return None;
    }
    let cf = rp.key("check").key("field");
    let Some((list, inner)) = c.field.split_once("[].") else {
        let target = field(cx, placed, &c.field, &cf, Code::BadRule, what)?;
        return match c.max_items {
            Some(max) if matches!(target.ty, Ty::List(_)) => Some(Check::MaxItems {
                field: target.reference(),
                max,
            }),
            Some(_) => {
                cx.at_value(
                    placed.file,
                    &cf,
                    Problem::new(
                        Code::BadRule,
                        format!(
                            "{what}: `max_items` needs a list, and `{}` is `{}`",
                            c.field,
                            shown(&target.ty)
                        ),
                    ),
                );
                None
            }
            None if !target.optional() => {
                always_sent(cx, placed.file, &cf, what, &c.field, c.absent);
                None
            }
            None => Some(Check::Presence {
                list: None,
                field: target.reference(),
                absent: c.absent,
            }),
        };
    };
    if c.max_items.is_some() {
        cx.at_value(
            placed.file,
            &cf,
            Problem::new(
                Code::BadRule,
                format!("{what}: `max_items` checks a list field, not a field of its items"),
            ),
        );
        return None;
    }
    let list_field = field(cx, placed, list, &cf, Code::BadRule, what)?;
    let folder = &cx.files[placed.file].source.vendor;
    let items = match &list_field.ty {
        Ty::List(item) => match item.as_ref() {
            Ty::Object(r) => objects.find(folder, r),
            _ => None,
        },
        _ => None,
    };
    let Some(items) = items else {
        cx.at_value(
            placed.file,
            &cf,
            Problem::new(
                Code::BadRule,
                format!(
                    "{what}: `{list}` is not a list of objects in {}",
                    placed.label
                ),
            )
            .hint("write `list_field[].item_field`"),
        );
        return None;
    };
    let item = match items.object.fields.iter().find(|f| f.wire == inner) {
        Some(f) => f,
        None => {
            if !items.is_broken(cx, inner) {
                let names: Vec<&str> = items
                    .object
                    .fields
                    .iter()
                    .map(|f| f.wire.as_str())
                    .collect();
                cx.at_value(
                    placed.file,
                    &cf,
                    Problem::new(
                        Code::BadRule,
                        format!("{what}: the items of `{list}` have no field `{inner}`"),
                    )
                    .hint(format!("their fields: {}", names.join(", "))),
                );
            }
            return None;
        }
    };
    if !item.optional() {
        always_sent(cx, placed.file, &cf, what, &c.field, c.absent);
        return None;
    }
    Some(Check::Presence {
        list: Some(list_field.reference()),
        field: item.reference(),
        absent: c.absent,
    })
}

/// A presence check on a field that is always sent: it would hold always, or never.
fn always_sent(cx: &mut Ctx<'_>, file: usize, at: &DocPath, what: &str, field: &str, absent: bool) {
    let key = if absent { "absent" } else { "present" };
    cx.at_value(
        file,
        at,
        Problem::new(
            Code::BadRule,
            format!("{what}: field `{field}` is always sent (it is required or has a default), so checking that it is {key} says nothing"),
        )
        .hint("check an optional field, or drop the rule"),
    );
}

fn group(cx: &mut Ctx<'_>, placed: &Placed, k: usize, g: &GroupDef) -> Option<Group> {
    let gp = placed.path.key("groups").index(k);
    let what = format!("`groups[{k}]`");
    let given: Vec<(GroupKind, &Vec<String>)> = [
        (GroupKind::AtMostOne, &g.one_of),
        (GroupKind::AtLeastOne, &g.at_least_one_of),
        (GroupKind::ExactlyOne, &g.exactly_one_of),
    ]
    .into_iter()
    .filter_map(|(kind, names)| Some((kind, names.as_ref()?)))
    .collect();
    let [(kind, names)] = given.as_slice() else {
        if cx.lost_a_key(placed.file, &gp) {
            return None;
        }
        cx.at_key(
            placed.file,
            &gp,
            Problem::new(
                Code::BadGroup,
                format!(
                    "{what} needs exactly one of `one_of`, `at_least_one_of`, `exactly_one_of`"
                ),
            )
            .hint("for example `at_least_one_of: [telephone, email]`"),
        );
        return None;
    };
    let key = gp.key(kind.key());
    if names.len() < 2 {
        cx.at_value(
            placed.file,
            &key,
            Problem::new(
                Code::BadGroup,
                format!("{what}: a group names at least two fields"),
            )
            .hint("a single field that must be set is `required: true`"),
        );
        return None;
    }
    let mut fields: Vec<FieldRef> = Vec::new();
    let mut ok = true;
    for (n, wire) in names.iter().enumerate() {
        let at = key.index(n);
        if fields.iter().any(|f| &f.wire == wire) {
            cx.at_value(
                placed.file,
                &at,
                Problem::new(Code::BadGroup, format!("{what} names `{wire}` twice")),
            );
            ok = false;
            continue;
        }
        let Some(f) = field(cx, placed, wire, &at, Code::BadGroup, &what) else {
            ok = false;
            continue;
        };
        if !f.optional() {
            cx.at_value(
                placed.file,
                &at,
                Problem::new(
                    Code::BadGroup,
                    format!("{what}: field `{wire}` is always sent (it is required or has a default), so the group would always count it"),
                )
                .hint("a group's fields are optional: remove `required`/`default` from it, or take it out of the group"),
            );
            ok = false;
            continue;
        }
        fields.push(f.reference());
    }
    ok.then(|| Group {
        at: cx.loc(placed.file, &gp),
        kind: *kind,
        fields,
        severity: g.severity,
        description: g.description.clone(),
    })
}

fn item_result(cx: &mut Ctx<'_>, enums: &Enums, placed: &Placed) -> Option<ItemResult> {
    let ir = placed.item_result.as_ref()?;
    let p = placed.path.key("item_result");
    let file = placed.file;
    let table = enums.table(file);
    if table.is_none() && !cx.dropped(file, &DocPath::root().key("errors")) {
        cx.at_key(
            file,
            &p,
            Problem::new(
                Code::ItemResult,
                format!("{} is marked as a per-item result, but the file lists no `errors` to type its codes with", placed.label),
            )
            .hint("add the endpoint's `errors` table to this file"),
        );
    }
    // Each marked field must exist and be of its kind: the code an integer, the message text.
    let mut marked = |key: &str, wire: &str, fits: fn(&Ty) -> bool, kind: &str| {
        let at = p.key(key);
        let f = field(cx, placed, wire, &at, Code::ItemResult, "`item_result`")?;
        if fits(&f.ty) {
            return Some(f);
        }
        let message = format!("per-item {key} field `{wire}` must be {kind}");
        cx.at_value(file, &at, Problem::new(Code::ItemResult, message));
        None
    };
    let integer: fn(&Ty) -> bool = |t| matches!(t, Ty::Prim(p) if p.is_integer());
    let text: fn(&Ty) -> bool = |t| *t == Ty::Prim(Prim::String);
    let code = marked("code", &ir.code, integer, "an integer");
    let message = marked("message", &ir.message, text, "a string");
    let (code, message, table) = (code?, message?, table?);
    Some(ItemResult {
        code: code.reference(),
        code_i32: code.ty == Ty::Prim(Prim::Int32),
        message: message.reference(),
        code_type: table.rust.clone(),
    })
}

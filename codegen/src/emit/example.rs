//! The example in each client method's documentation: the request built from the spec's
//! example values with its builder, then the call. Written as text, the way a person would
//! lay it out, since it lives inside a doc comment; rustdoc compiles it as a doctest.

use std::collections::BTreeSet;
use std::fmt::Write;

use crate::ir::{ExampleIr, Literal, TypePath};

/// Where the example's code is: the path doctests reach the generated modules by, and the
/// endpoint's place under it.
pub struct Place<'a> {
    /// The path of the generated code's root from outside the crate (`generated_client`).
    pub root: &'a str,
    /// The vendor module.
    pub vendor: &'a str,
    /// The endpoint's module.
    pub module: &'a str,
    /// The vendor client's type name.
    pub client: &'a str,
    /// The client method.
    pub method: &'a str,
    /// The runtime crate's path from outside the crate (`client_runtime`, or
    /// `my_crate::runtime` for a runtime re-exported at `crate::runtime`).
    pub runtime: &'a str,
}

/// The documentation section `# Example` with a `no_run` doctest.
pub fn example_doc(request: &ExampleIr, place: &Place<'_>) -> String {
    let mut local = BTreeSet::new();
    collect_local(request, &mut local);
    let mut value = String::new();
    write_value(&mut value, request, 0, place);
    let Place {
        root,
        vendor,
        module,
        client,
        method,
        ..
    } = place;
    let uses = local.into_iter().collect::<Vec<_>>().join(", ");
    let uses = if uses.contains(", ") {
        format!("{{{uses}}}")
    } else {
        uses
    };
    format!(
        "# Example\n\n\
         ```no_run\n\
         # async fn example(client: {root}::{vendor}::{client}) -> Result<(), Box<dyn std::error::Error>> {{\n\
         use {root}::{vendor}::{module}::{uses};\n\
         \n\
         let request = {value};\n\
         let response = client.{method}(&request).await?;\n\
         # let _ = response;\n\
         # Ok(())\n\
         # }}\n\
         ```"
    )
}

/// The names of the endpoint module's own types the example uses.
fn collect_local(e: &ExampleIr, out: &mut BTreeSet<String>) {
    match e {
        ExampleIr::Value(Literal::Variant(p, _)) => {
            if p.module.is_none() {
                out.insert(p.name.clone());
            }
        }
        ExampleIr::Value(_) | ExampleIr::File(_) => {}
        ExampleIr::List(items) => items.iter().for_each(|i| collect_local(i, out)),
        ExampleIr::Object(p, fields) => {
            if p.module.is_none() {
                out.insert(p.name.clone());
            }
            fields.iter().for_each(|(_, v)| collect_local(v, out));
        }
    }
}

/// A type as the example names it: by name when it is the endpoint module's, by its full path
/// otherwise.
fn type_name(p: &TypePath, place: &Place<'_>) -> String {
    match &p.module {
        None => p.name.clone(),
        Some(module) => format!("{}::{}::{module}::{}", place.root, place.vendor, p.name),
    }
}

fn write_value(out: &mut String, e: &ExampleIr, indent: usize, place: &Place<'_>) {
    let pad = " ".repeat(indent);
    match e {
        ExampleIr::Value(l) => out.push_str(&literal(l, place)),
        ExampleIr::File(name) => {
            let _ = write!(
                out,
                "{}::File::from_bytes({name:?}, b\"...\".to_vec())",
                place.runtime
            );
        }
        ExampleIr::List(items) if items.is_empty() => out.push_str("vec![]"),
        ExampleIr::List(items) => {
            out.push_str("vec![");
            for (n, item) in items.iter().enumerate() {
                if n > 0 {
                    out.push_str(", ");
                }
                match item {
                    // A list's items are not converted as setter arguments are.
                    ExampleIr::Value(Literal::Str(s)) => {
                        let _ = write!(out, "{s:?}.to_owned()");
                    }
                    _ => write_value(out, item, indent, place),
                }
            }
            out.push(']');
        }
        ExampleIr::Object(p, fields) => {
            let _ = write!(out, "{}::builder()", type_name(p, place));
            for (setter, value) in fields {
                let _ = write!(out, "\n{pad}    .{setter}(");
                write_value(out, value, indent + 4, place);
                out.push(')');
            }
            let _ = write!(out, "\n{pad}    .build()");
        }
    }
}

fn literal(l: &Literal, place: &Place<'_>) -> String {
    match l {
        // Setters of text take `impl Into<String>`: a string literal as it is.
        Literal::Str(s) => format!("{s:?}"),
        Literal::Int(i) => i.to_string(),
        Literal::Float(f) => format!("{f:?}"),
        Literal::Bool(b) => b.to_string(),
        Literal::Variant(p, v) => format!("{}::{v}", type_name(p, place)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place() -> Place<'static> {
        Place {
            root: "my_crate",
            vendor: "dingtalk",
            module: "period",
            client: "DingTalkClient",
            method: "period",
            runtime: "client_runtime",
        }
    }

    fn local(name: &str) -> TypePath {
        TypePath {
            module: None,
            name: name.to_owned(),
        }
    }

    #[test]
    fn nested_builders_are_indented_and_local_types_imported_once() {
        let grade = ExampleIr::Object(
            local("Grade"),
            vec![(
                "name".to_owned(),
                ExampleIr::Value(Literal::Str("二年级".to_owned())),
            )],
        );
        let request = ExampleIr::Object(
            local("PeriodRequest"),
            vec![
                ("id".to_owned(), ExampleIr::Value(Literal::Int(7))),
                ("grades".to_owned(), ExampleIr::List(vec![grade])),
                (
                    "region".to_owned(),
                    ExampleIr::Value(Literal::Variant(
                        TypePath {
                            module: Some("common".to_owned()),
                            name: "Region".to_owned(),
                        },
                        "North".to_owned(),
                    )),
                ),
            ],
        );
        let doc = example_doc(&request, &place());
        assert!(
            doc.contains("use my_crate::dingtalk::period::{Grade, PeriodRequest};"),
            "{doc}"
        );
        assert!(
            doc.contains(
                "let request = PeriodRequest::builder()\n    .id(7)\n    .grades(vec![Grade::builder()\n        .name(\"二年级\")\n        .build()])\n    .region(my_crate::dingtalk::common::Region::North)\n    .build();"
            ),
            "{doc}"
        );
        assert!(doc.contains("client.period(&request).await?"), "{doc}");
        assert!(doc.starts_with("# Example\n\n```no_run\n"), "{doc}");
    }

    #[test]
    fn text_in_a_list_is_owned_and_text_given_to_a_setter_is_not() {
        let request = ExampleIr::Object(
            local("TagsRequest"),
            vec![
                (
                    "name".to_owned(),
                    ExampleIr::Value(Literal::Str("a\"b".to_owned())),
                ),
                (
                    "tags".to_owned(),
                    ExampleIr::List(vec![
                        ExampleIr::Value(Literal::Str("x".to_owned())),
                        ExampleIr::Value(Literal::Str("y".to_owned())),
                    ]),
                ),
                ("files".to_owned(), ExampleIr::File("a.png".to_owned())),
                ("ratio".to_owned(), ExampleIr::Value(Literal::Float(1.0))),
            ],
        );
        let doc = example_doc(&request, &place());
        assert!(doc.contains(".name(\"a\\\"b\")"), "{doc}");
        assert!(
            doc.contains(".tags(vec![\"x\".to_owned(), \"y\".to_owned()])"),
            "{doc}"
        );
        assert!(
            doc.contains(".files(client_runtime::File::from_bytes(\"a.png\", b\"...\".to_vec()))"),
            "{doc}"
        );
        assert!(doc.contains(".ratio(1.0)"), "{doc}");
    }

    #[test]
    fn a_request_without_fields_is_built_empty() {
        let doc = example_doc(&ExampleIr::Object(local("PingRequest"), vec![]), &place());
        assert!(doc.contains("use my_crate::dingtalk::period::PingRequest;"));
        assert!(doc.contains("let request = PingRequest::builder()\n    .build();"));
    }
}

//! Rust code written straight as text, for the items that are most of a large API's code and
//! the same shape in every module (structs and their builders): one line at a time, indented
//! by depth, as rustfmt lays them out.
//!
//! Writing them as `quote!` tokens and laying those out costs an allocation per identifier and a
//! walk of every token; written as text they cost about what copying the text costs. The text
//! reads back as tokens: a file laid out fast holds it as written, a prettyplease file lexes it
//! first (`Piece::Text` in the parent module). The tests check that the types, values and
//! runtime paths written here lex to the tokens the other emitters write for them.

use std::fmt::{self, Display, Write};

use proc_macro2::Literal as Lit;

use crate::ir::{Literal, TyIr, TypePath};
use crate::typeexpr::Prim;

const INDENT: &str = "    ";

/// Code being written: complete lines at `depth` levels of indentation.
pub struct Code {
    out: String,
    depth: usize,
}

impl Code {
    /// Empty code at the top level of a file.
    pub fn new() -> Self {
        Code {
            out: String::new(),
            depth: 0,
        }
    }

    /// The text written, each line ending with a newline.
    pub fn finish(self) -> String {
        self.out
    }

    /// One line.
    pub fn line(&mut self, text: impl Display) {
        for _ in 0..self.depth {
            self.out.push_str(INDENT);
        }
        let _ = write!(self.out, "{text}");
        self.out.push('\n');
    }

    /// A line that opens a block (it ends with `{`): the lines after it are indented one more.
    pub fn open(&mut self, text: impl Display) {
        self.line(text);
        self.depth += 1;
    }

    /// A line that closes the block opened last (`}`, `},`).
    pub fn close(&mut self, text: impl Display) {
        self.depth -= 1;
        self.line(text);
    }

    /// A block whose head has a `where` clause: `head`, then `where` and a line per bound, then
    /// `{`; `head {` when there are no bounds.
    pub fn open_where<B: Display>(
        &mut self,
        head: impl Display,
        bounds: impl IntoIterator<Item = B>,
    ) {
        let mut bounds = bounds.into_iter().peekable();
        if bounds.peek().is_none() {
            self.open(format_args!("{head} {{"));
            return;
        }
        self.line(head);
        self.line("where");
        self.depth += 1;
        for bound in bounds {
            self.line(format_args!("{bound},"));
        }
        self.depth -= 1;
        self.open("{");
    }

    /// Documentation as `///` lines, one per line of `text`: the `#[doc]` attributes of
    /// [`doc_attrs`](super::doc::doc_attrs). A line with a control character (a bare carriage
    /// return, which a comment cannot hold, or one that would be invisible in it) is written as
    /// the attribute, escaped.
    pub fn doc(&mut self, text: &str) {
        for line in text.lines() {
            if line.is_empty() {
                self.line("///");
            } else if line.contains(|c: char| c.is_control() && c != '\t') {
                self.line(format_args!(
                    "#[doc = {}]",
                    Lit::string(&format!(" {line}"))
                ));
            } else {
                self.line(format_args!("/// {line}"));
            }
        }
    }
}

/// The Rust type of a field's value (without the `Option` of optional fields), as
/// [`rust_type`](super::ty::rust_type) writes it; `runtime` is the runtime's path.
pub struct RustType<'a> {
    pub ty: &'a TyIr,
    pub runtime: &'a str,
}

impl Display for RustType<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.ty {
            TyIr::Prim(p) => f.write_str(prim(*p)),
            TyIr::File => write!(f, "{}::File", self.runtime),
            TyIr::List(inner) => write!(
                f,
                "Vec<{}>",
                RustType {
                    ty: inner,
                    runtime: self.runtime
                }
            ),
            TyIr::Struct(p) | TyIr::Enum(p, _) => write!(f, "{}", Path(p)),
        }
    }
}

/// The Rust type of a scalar.
fn prim(p: Prim) -> &'static str {
    match p {
        Prim::String => "String",
        Prim::Bool => "bool",
        Prim::Int32 => "i32",
        Prim::Int64 => "i64",
        Prim::Number => "f64",
    }
}

/// A path to a generated type from the module that uses it, as
/// [`type_path`](super::ty::type_path) writes it.
pub struct Path<'a>(pub &'a TypePath);

impl Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0.module {
            Some(m) => write!(f, "super::{m}::{}", self.0.name),
            None => f.write_str(&self.0.name),
        }
    }
}

/// A literal as a Rust expression of the field's type, as
/// [`literal`](super::types::literal) writes it.
pub struct Value<'a>(pub &'a Literal);

impl Display for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Literal::Str(s) => write!(f, "{}.to_owned()", Lit::string(s)),
            Literal::Int(i) => write!(f, "{}", Lit::i64_unsuffixed(*i)),
            Literal::Float(x) => write!(f, "{}", Lit::f64_unsuffixed(*x)),
            Literal::Bool(b) => write!(f, "{b}"),
            Literal::Variant(p, v) => write!(f, "{}::{v}", Path(p)),
        }
    }
}

/// `items` separated by `, `.
pub struct List<I>(pub I);

impl<I> Display for List<I>
where
    I: Iterator + Clone,
    I::Item: Display,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, item) in self.0.clone().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{item}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    /// Each token's text, delimiters included; spacing (`>>` joint or apart) aside.
    fn token_texts(tokens: proc_macro2::TokenStream, out: &mut Vec<String>) {
        for tree in tokens {
            match tree {
                proc_macro2::TokenTree::Group(g) => {
                    out.push(format!("{:?}", g.delimiter()));
                    token_texts(g.stream(), out);
                    out.push("end".to_owned());
                }
                other => out.push(other.to_string()),
            }
        }
    }

    fn same_tokens(text: &str, tokens: proc_macro2::TokenStream) {
        let read: proc_macro2::TokenStream = text.parse().expect("the text lexes");
        let (mut left, mut right) = (Vec::new(), Vec::new());
        token_texts(read, &mut left);
        token_texts(tokens, &mut right);
        assert_eq!(left, right, "{text}");
    }

    #[test]
    fn types_and_values_read_back_as_the_tokens_of_the_emitters() {
        let path = |module: Option<&str>| TypePath {
            module: module.map(str::to_owned),
            name: "Status".to_owned(),
        };
        let types = [
            TyIr::Prim(Prim::String),
            TyIr::Prim(Prim::Number),
            TyIr::File,
            TyIr::List(Box::new(TyIr::List(Box::new(TyIr::Prim(Prim::Int64))))),
            TyIr::Struct(path(Some("shared"))),
            TyIr::Struct(path(None)),
        ];
        for ty in &types {
            let text = RustType {
                ty,
                runtime: "::client_runtime",
            }
            .to_string();
            same_tokens(&text, super::super::ty::rust_type(ty));
        }
        let values = [
            Literal::Str("审核中 \"quoted\" \\ \n".to_owned()),
            Literal::Int(-42),
            Literal::Float(0.5),
            Literal::Float(1e21),
            Literal::Bool(true),
            Literal::Variant(path(Some("shared")), "Active".to_owned()),
        ];
        for v in &values {
            same_tokens(&Value(v).to_string(), super::super::types::literal(v));
        }
    }

    #[test]
    fn code_is_indented_by_block_and_documented_with_line_comments() {
        let mut code = Code::new();
        code.doc("名称\n\nsecond\u{7}line");
        code.open("impl A {");
        code.open("fn f() {");
        code.line("g();");
        code.close("}");
        code.close("}");
        let text = code.finish();
        assert_eq!(
            text,
            "/// 名称\n///\n#[doc = \" second\\u{7}line\"]\nimpl A {\n    fn f() {\n        g();\n    }\n}\n"
        );
        let read: proc_macro2::TokenStream = text.parse().expect("lexes");
        let written = read.into_token_stream().to_string();
        assert!(written.contains("doc = \" 名称\""), "{written}");
    }
}

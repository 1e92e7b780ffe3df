//! Doc attributes from documentation text, and splicing large token streams without copying
//! them.

use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};

/// `#[doc = " line"]` attributes, one per line, rendered by prettyplease as `///` comments.
/// Built token by token: documentation is most of what is generated, and `quote!` would build
/// and copy a stream per line.
pub fn doc_attrs(text: &str) -> TokenStream {
    let mut out = Vec::new();
    for line in text.lines() {
        let value = if line.is_empty() {
            Literal::string("")
        } else {
            raw_string(&format!(" {line}"))
        };
        let attr: TokenStream = [
            TokenTree::Ident(Ident::new("doc", Span::call_site())),
            TokenTree::Punct(Punct::new('=', Spacing::Alone)),
            TokenTree::Literal(value),
        ]
        .into_iter()
        .collect();
        out.push(TokenTree::Punct(Punct::new('#', Spacing::Alone)));
        out.push(TokenTree::Group(Group::new(Delimiter::Bracket, attr)));
    }
    out.into_iter().collect()
}

/// `{ body }` as one token tree. `quote!` splices a `TokenStream` by copying its tokens; the
/// large bodies (a struct's fields, a builder's setters) are gathered by moving their streams
/// and spliced as this one group instead.
pub fn braced(body: TokenStream) -> Group {
    Group::new(Delimiter::Brace, body)
}

/// `text` as a raw string literal (`r"..."`, with as many `#` as it needs), falling back to an
/// escaped one for text a raw string cannot hold (control characters but tabs). Documentation
/// is most of the generated text and mostly Chinese: written raw it is copied as it is, where an
/// escaped literal passes each character through `char::escape_debug`, and the fast layout reads
/// it back without unescaping (`layout::raw_string_contents`).
pub fn raw_string(text: &str) -> Literal {
    if text.contains(|c: char| c.is_control() && c != '\t') {
        return Literal::string(text);
    }
    // One `#` more than the longest run of them after a quote, so the text cannot close it.
    let hashes = text
        .match_indices('"')
        .map(|(at, _)| 1 + text[at + 1..].bytes().take_while(|&b| b == b'#').count())
        .max()
        .unwrap_or(0);
    // Rust allows at most 255.
    if hashes > 255 {
        return Literal::string(text);
    }
    let fence = "#".repeat(hashes);
    format!("r{fence}\"{text}\"{fence}")
        .parse()
        .unwrap_or_else(|_| Literal::string(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_strings_hold_their_text_whatever_it_quotes() {
        for text in [
            "",
            " 课程名称，最多 50 个字符",
            r#" a "quoted" \ word"#,
            r##" r#"fenced"# and "#"##,
            " tab\there",
            " line\rbreak",
            " nul\0",
            &format!(" \"{}", "#".repeat(300)),
        ] {
            let lit = raw_string(text);
            let syn::Lit::Str(s) = syn::Lit::new(lit.clone()) else {
                panic!("{lit} is not a string literal");
            };
            assert_eq!(s.value(), text, "{lit}");
        }
        assert_eq!(raw_string(" 名称").to_string(), "r\" 名称\"");
        assert_eq!(
            raw_string(r##" say "#hi""##).to_string(),
            r###"r##" say "#hi""##"###
        );
    }
}

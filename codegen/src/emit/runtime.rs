//! The path generated code names the runtime by.
//!
//! The token emitters write the runtime as `::client_runtime`, the name the crate has as a
//! dependency of the generated crate. A crate that depends on it under another name, or
//! re-exports it (`crate::runtime`), sets [`Options::runtime`](super::Options::runtime): every
//! `::client_runtime` path of their tokens, and every mention of it in their documentation, is
//! then rewritten to that path ([`Runtime::rewrite`]). The emitters that write text (structs and
//! builders, whose documentation never names the runtime) write the path itself
//! ([`code_path`]).

use proc_macro2::{Group, Literal, TokenStream, TokenTree};

use super::{EmitError, DEFAULT_RUNTIME};

/// `path` as generated code writes it, and as its documentation names it, when it is a crate
/// name (`my_crate`, written `::my_crate`) or a path from the crate (`crate::api`): the two
/// forms that mean the same at every depth of the generated modules.
pub fn crate_path(path: &str) -> Option<(TokenStream, String)> {
    let parsed: syn::Path = syn::parse_str(path).ok().filter(|p: &syn::Path| {
        p.segments.iter().all(|s| s.arguments.is_empty()) && p.leading_colon.is_none()
    })?;
    // Generated code stands at two depths (vendor and endpoint modules): a path relative to a
    // module would mean something else in each.
    let first = parsed.segments[0].ident.to_string();
    if matches!(first.as_str(), "self" | "super") {
        return None;
    }
    let tokens = if first == "crate" {
        quote::quote!(#parsed)
    } else {
        quote::quote!(::#parsed)
    };
    let text = parsed
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::");
    Some((tokens, text))
}

/// The runtime path `path` as code written as text names it (`::client_runtime`,
/// `crate::runtime`): what the runtime's tokens become in [`Runtime::rewrite`].
pub fn code_path(path: &str) -> Result<String, EmitError> {
    let (_, text) = crate_path(path).ok_or_else(|| EmitError::RuntimePath(path.to_owned()))?;
    Ok(if text == "crate" || text.starts_with("crate::") {
        text
    } else {
        format!("::{text}")
    })
}

/// The runtime path, checked: a crate name (`my_runtime`, written as `::my_runtime`) or a
/// path from the crate (`crate::runtime`).
pub struct Runtime {
    /// The tokens that replace `::client_runtime`.
    tokens: TokenStream,
    /// The text that replaces `client_runtime` in documentation.
    text: String,
}

impl Runtime {
    /// The runtime named `path`, or `None` for the default.
    pub fn new(path: &str) -> Result<Option<Runtime>, EmitError> {
        if path == DEFAULT_RUNTIME {
            return Ok(None);
        }
        let (tokens, text) =
            crate_path(path).ok_or_else(|| EmitError::RuntimePath(path.to_owned()))?;
        Ok(Some(Runtime { tokens, text }))
    }

    /// `tokens` with every `::client_runtime` path and documentation mention rewritten.
    pub fn rewrite(&self, tokens: TokenStream) -> TokenStream {
        let mut out: Vec<TokenTree> = Vec::new();
        for tree in tokens {
            match tree {
                TokenTree::Ident(ident) if ident == DEFAULT_RUNTIME && ends_with_colons(&out) => {
                    out.truncate(out.len() - 2);
                    out.extend(self.tokens.clone());
                }
                TokenTree::Group(g) => {
                    let mut group = Group::new(g.delimiter(), self.rewrite(g.stream()));
                    group.set_span(g.span());
                    out.push(TokenTree::Group(group));
                }
                TokenTree::Literal(lit) => out.push(TokenTree::Literal(self.text_in(lit))),
                other => out.push(other),
            }
        }
        out.into_iter().collect()
    }

    /// A string literal (documentation) with the runtime's name rewritten.
    fn text_in(&self, lit: Literal) -> Literal {
        let text = lit.to_string();
        let mention = format!("{DEFAULT_RUNTIME}::");
        // Doc comments written in `quote!` arrive as raw strings (`r"..."`).
        let string = text.starts_with('"') || text.starts_with("r\"") || text.starts_with("r#");
        if !string || !text.contains(&mention) {
            return lit;
        }
        let rewritten = text.replace(&mention, &format!("{}::", self.text));
        rewritten.parse().unwrap_or(lit)
    }
}

/// Whether the last two tokens are the `::` that opens an absolute path.
fn ends_with_colons(out: &[TokenTree]) -> bool {
    matches!(
        out,
        [.., TokenTree::Punct(a), TokenTree::Punct(b)] if a.as_char() == ':' && b.as_char() == ':'
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn rewritten(path: &str) -> String {
        let runtime = Runtime::new(path)
            .expect("a path")
            .expect("not the default");
        let tokens = quote! {
            #[doc = "Wraps [`client_runtime::dingtalk::DingTalkClient`]."]
            /// For any [`client_runtime::Endpoint`].
            impl ::client_runtime::Validate for X {
                fn f(p: &::client_runtime::Path<'_>) { let client_runtime = 1; }
            }
        };
        runtime.rewrite(tokens).to_string()
    }

    #[test]
    fn every_runtime_path_and_mention_is_rewritten_and_nothing_else() {
        let text = rewritten("my_runtime");
        assert!(text.contains(":: my_runtime :: Validate"), "{text}");
        assert!(text.contains(":: my_runtime :: Path"), "{text}");
        assert!(
            text.contains("[`my_runtime::dingtalk::DingTalkClient`]"),
            "{text}"
        );
        assert!(text.contains("[`my_runtime::Endpoint`]"), "{text}");
        assert!(text.contains("let client_runtime = 1"), "{text}");
        assert!(!text.contains(":: client_runtime"), "{text}");
    }

    #[test]
    fn a_path_from_the_crate_keeps_no_leading_colons() {
        let text = rewritten("crate::runtime");
        assert!(text.contains("impl crate :: runtime :: Validate"), "{text}");
        assert!(
            text.contains("[`crate::runtime::dingtalk::DingTalkClient`]"),
            "{text}"
        );
    }

    #[test]
    fn code_written_as_text_names_the_runtime_as_the_rewritten_tokens_do() {
        for path in [DEFAULT_RUNTIME, "my_runtime", "crate::runtime", "a::b"] {
            let code = code_path(path).expect("a path");
            let (tokens, _) = crate_path(path).expect("a path");
            let read: TokenStream = code.parse().expect("lexes");
            assert_eq!(read.to_string(), tokens.to_string(), "{path}");
        }
        assert_eq!(code_path("crate::rt").as_deref(), Ok("crate::rt"));
        assert_eq!(
            code_path("self::rt"),
            Err(EmitError::RuntimePath("self::rt".to_owned()))
        );
    }

    #[test]
    fn the_default_needs_no_rewriting_and_a_non_path_is_refused() {
        assert!(Runtime::new(DEFAULT_RUNTIME)
            .expect("the default")
            .is_none());
        for bad in [
            "",
            "a b",
            "::x",
            "x<T>",
            "1x",
            "x::",
            "self::rt",
            "super::rt",
        ] {
            assert_eq!(
                Runtime::new(bad).err(),
                Some(EmitError::RuntimePath(bad.to_owned())),
                "{bad}"
            );
        }
    }
}

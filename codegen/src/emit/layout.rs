//! A fast, readable layout of generated tokens: one item, statement, field or match arm per
//! line, indented by brace depth, each attribute on its own line and documentation as `///`
//! lines.
//!
//! Hand-written because prettyplease prints only a `syn` syntax tree, and parsing the tokens
//! into one (`syn::parse2`) is most of what generating costs. This walks the token stream once,
//! at about the cost of `TokenStream::to_string`, and writes text that reads back as the same
//! tokens: `prettyplease` of it is exactly `prettyplease` of the tokens (the tests check it). It
//! serves code that people rarely read (a build script's output, opened from an IDE's
//! go-to-definition); code that is reviewed or checked in is formatted with prettyplease.

use std::fmt::Write;

use proc_macro2::{Delimiter, Group, Spacing, TokenStream, TokenTree};

const INDENT: &str = "    ";

/// Most tokens a brace group may hold to stay on one line (`{ &self.inner }`).
const INLINE_BRACE_TOKENS: usize = 12;

/// `tokens` laid out as Rust text, ending with a newline.
pub fn layout(tokens: TokenStream) -> String {
    let mut p = Printer {
        out: String::new(),
        depth: 0,
        line_start: true,
        prev: Prev::Start,
        angles: 0,
    };
    p.stream(tokens.into_iter().collect(), true);
    if !p.out.ends_with('\n') {
        p.out.push('\n');
    }
    p.out
}

/// What was printed last, as far as spacing needs to know.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Prev {
    /// Start of a line, or just after an opening delimiter: no space.
    Start,
    /// An identifier. `keyword` for the ones written apart from what follows (`impl <`,
    /// `if !x`); `generic` when a `<` after it opens generic arguments (`Vec<`, `fn f<`);
    /// `item` for the keywords that introduce a named item (`fn`, `struct`).
    Ident {
        keyword: bool,
        generic: bool,
        item: bool,
    },
    Literal,
    /// A closing delimiter.
    Close,
    /// A punctuation character. `joint` when the next character belongs to the same operator;
    /// `path` for the second colon of `::`; `unary` when it stands where an operand is expected
    /// (`&x`, `-1`, `!done`).
    Punct {
        ch: char,
        joint: bool,
        path: bool,
        unary: bool,
    },
}

struct Printer {
    out: String,
    depth: usize,
    line_start: bool,
    prev: Prev,
    /// Open `<` of generic arguments in this run of tokens, so their `>` is printed tight.
    angles: usize,
}

impl Printer {
    /// Prints a sequence of tokens. `block` when it is a file or the inside of a brace group
    /// laid out over lines: statements, fields, arms and attributes then end their line.
    fn stream(&mut self, trees: Vec<TokenTree>, block: bool) {
        let mut rest = trees.into_iter().peekable();
        while let Some(tree) = rest.next() {
            match tree {
                TokenTree::Punct(p) if p.as_char() == '#' => {
                    let bang =
                        matches!(rest.peek(), Some(TokenTree::Punct(b)) if b.as_char() == '!');
                    if bang {
                        let Some(TokenTree::Punct(b)) = rest.next() else {
                            unreachable!("peeked a punct")
                        };
                        match rest.next_if(is_bracket) {
                            Some(TokenTree::Group(g)) => self.attribute(g, true, block),
                            _ => {
                                self.punct('#', p.spacing());
                                self.punct('!', b.spacing());
                            }
                        }
                        continue;
                    }
                    match rest.next_if(is_bracket) {
                        Some(TokenTree::Group(g)) => self.attribute(g, false, block),
                        _ => self.punct('#', p.spacing()),
                    }
                }
                TokenTree::Punct(p) => {
                    let ch = p.as_char();
                    self.punct(ch, p.spacing());
                    if block && (ch == ';' || (ch == ',' && self.angles == 0)) {
                        self.newline();
                    }
                }
                TokenTree::Ident(i) => {
                    self.space_before_word();
                    let start = self.out.len();
                    // Written in place: `to_string` would allocate once per identifier.
                    let _ = write!(self.out, "{i}");
                    let text = &self.out[start..];
                    let keyword = is_keyword(text);
                    let generic = text == "impl"
                        || text.starts_with(|c: char| c.is_ascii_uppercase())
                        || matches!(self.prev, Prev::Ident { item: true, .. });
                    let item =
                        matches!(text, "fn" | "struct" | "enum" | "trait" | "type" | "union");
                    self.prev = Prev::Ident {
                        keyword,
                        generic,
                        item,
                    };
                }
                TokenTree::Literal(l) => {
                    self.space_before_word();
                    let _ = write!(self.out, "{l}");
                    self.prev = Prev::Literal;
                }
                TokenTree::Group(g) => {
                    let brace = g.delimiter() == Delimiter::Brace;
                    self.group(g);
                    if brace && block {
                        let follows_on_line = match rest.peek() {
                            Some(TokenTree::Ident(i)) => i == "else",
                            Some(TokenTree::Punct(p)) => {
                                matches!(p.as_char(), ',' | ';' | '.' | '?')
                            }
                            _ => false,
                        };
                        if !follows_on_line {
                            self.newline();
                        }
                    }
                }
            }
        }
    }

    fn group(&mut self, g: Group) {
        let delimiter = g.delimiter();
        // Once the group is dropped its tokens are no longer shared, so they are moved out of
        // it, not copied.
        let stream = g.stream();
        drop(g);
        let stream: Vec<TokenTree> = stream.into_iter().collect();
        match delimiter {
            Delimiter::None => self.stream(stream, false),
            Delimiter::Parenthesis | Delimiter::Bracket => {
                let (open, close) = if delimiter == Delimiter::Parenthesis {
                    ('(', ')')
                } else {
                    ('[', ']')
                };
                let tight = match self.prev {
                    Prev::Start | Prev::Close => true,
                    Prev::Ident { keyword, .. } => !keyword,
                    Prev::Punct {
                        ch, joint, unary, ..
                    } => {
                        joint
                            || matches!(ch, '#' | '!')
                            || (ch == '<' && self.angles > 0)
                            || (unary && matches!(ch, '&' | '*' | '-'))
                    }
                    Prev::Literal => false,
                };
                self.space(!tight);
                self.out.push(open);
                self.prev = Prev::Start;
                let angles = std::mem::take(&mut self.angles);
                self.stream(stream, false);
                self.angles = angles;
                self.line_indent();
                self.out.push(close);
                self.prev = Prev::Close;
            }
            Delimiter::Brace => {
                self.space(true);
                self.angles = 0;
                if stream.is_empty() {
                    self.out.push_str("{}");
                } else if fits_on_line(&stream) {
                    self.out.push_str("{ ");
                    self.prev = Prev::Start;
                    self.stream(stream, false);
                    self.out.push_str(" }");
                } else {
                    self.out.push('{');
                    self.depth += 1;
                    self.newline();
                    self.stream(stream, true);
                    self.newline();
                    self.depth -= 1;
                    self.line_indent();
                    self.out.push('}');
                }
                self.prev = Prev::Close;
                self.angles = 0;
            }
        }
    }

    /// Prints the attribute whose bracket group is `g`: a documentation line as `///` (or
    /// `//!`) when its text allows, otherwise as written; on its own line inside a block.
    fn attribute(&mut self, g: Group, inner: bool, block: bool) {
        if block {
            self.newline();
            if let Some(text) = doc_line(&g) {
                self.line_indent();
                self.out.push_str(if inner { "//!" } else { "///" });
                self.out.push_str(&text);
                self.newline();
                return;
            }
        }
        self.punct('#', Spacing::Joint);
        if inner {
            self.punct('!', Spacing::Joint);
        }
        self.group(g);
        if block {
            self.newline();
        }
    }

    fn punct(&mut self, ch: char, spacing: Spacing) {
        let joint = spacing == Spacing::Joint;
        let space = match self.prev {
            Prev::Start => false,
            // The rest of an operator (`::`, `->`, `'a`).
            Prev::Punct { joint: true, .. } => false,
            _ if matches!(ch, ',' | ';') => false,
            // Two operators side by side stay apart unless no longer token can form
            // (`&'a`, `<'a`, `&::x`, `Vec<Vec<u8>>`).
            Prev::Punct {
                ch: before,
                path,
                unary,
                ..
            } => !match (before, ch) {
                ('<', '\'') | ('<', ':') => self.angles > 0,
                ('&', '\'') | ('&', ':') => unary,
                ('>', '>') => self.angles > 0,
                (':', '<') => path,
                _ => false,
            },
            Prev::Ident {
                keyword, generic, ..
            } => match ch {
                '.' | '?' => false,
                ':' => keyword,
                '!' => keyword || joint,
                '<' => !generic || joint,
                '>' => self.angles == 0,
                _ => true,
            },
            Prev::Close => match ch {
                '.' | '?' => false,
                ':' => !joint,
                '>' => self.angles == 0,
                _ => true,
            },
            Prev::Literal => true,
        };
        let continuing = matches!(self.prev, Prev::Punct { joint: true, .. });
        let unary = !continuing
            && match self.prev {
                Prev::Start => true,
                Prev::Ident { keyword, .. } => keyword,
                Prev::Punct { ch, .. } => ch != '?',
                Prev::Literal | Prev::Close => false,
            };
        let path = matches!(
            self.prev,
            Prev::Punct {
                ch: ':',
                joint: true,
                ..
            }
        ) && ch == ':';
        if !continuing && ch == '>' && self.angles > 0 {
            // Closes generic arguments (`>>` of nested ones included): spaced like a closing
            // delimiter (`Vec<u8>::new`, `fn f<'a>(`).
            self.angles -= 1;
            self.space(false);
            self.out.push(ch);
            self.prev = Prev::Close;
            return;
        }
        if !continuing && ch == '<' && !space && !joint {
            self.angles += 1;
        }
        self.space(space);
        self.out.push(ch);
        self.prev = Prev::Punct {
            ch,
            joint,
            path,
            unary,
        };
    }

    /// The space before an identifier or literal.
    fn space_before_word(&mut self) {
        let space = match self.prev {
            Prev::Start => false,
            Prev::Ident { .. } | Prev::Literal | Prev::Close => true,
            Prev::Punct { joint: true, .. } => false,
            Prev::Punct {
                ch, path, unary, ..
            } => match ch {
                '.' | '#' => false,
                ':' => !path,
                '<' => self.angles == 0,
                '&' | '*' | '-' | '!' => !unary,
                _ => true,
            },
        };
        self.space(space);
    }

    /// Starts the line if nothing is on it yet, otherwise writes a space when `space`.
    fn space(&mut self, space: bool) {
        if self.line_start {
            self.line_indent();
        } else if space {
            self.out.push(' ');
        }
    }

    fn line_indent(&mut self) {
        if self.line_start {
            for _ in 0..self.depth {
                self.out.push_str(INDENT);
            }
            self.line_start = false;
        }
    }

    fn newline(&mut self) {
        if !self.line_start {
            self.out.push('\n');
            self.line_start = true;
        }
        self.prev = Prev::Start;
        self.angles = 0;
    }
}

fn is_bracket(tree: &TokenTree) -> bool {
    matches!(tree, TokenTree::Group(g) if g.delimiter() == Delimiter::Bracket)
}

/// Whether a brace group's content is short and flat enough for one line: a few tokens, no
/// statements, no attributes, no nested braces.
fn fits_on_line(stream: &[TokenTree]) -> bool {
    if stream.len() > INLINE_BRACE_TOKENS {
        return false;
    }
    for tree in stream {
        match tree {
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => return false,
            TokenTree::Punct(p) if matches!(p.as_char(), ';' | '#') => return false,
            _ => {}
        }
    }
    true
}

/// The text of a `doc = "..."` attribute, when `///` followed by it is the same attribute: a
/// plain string on one line that cannot turn the comment into another kind (`////` is not
/// documentation).
fn doc_line(g: &Group) -> Option<String> {
    let mut it = g.stream().into_iter();
    let (
        Some(TokenTree::Ident(name)),
        Some(TokenTree::Punct(eq)),
        Some(TokenTree::Literal(lit)),
        None,
    ) = (it.next(), it.next(), it.next(), it.next())
    else {
        return None;
    };
    if name != "doc" || eq.as_char() != '=' {
        return None;
    }
    let text = match raw_string_contents(&lit.to_string()) {
        Some(text) => text.to_owned(),
        None => {
            let syn::Lit::Str(s) = syn::Lit::new(lit) else {
                return None;
            };
            if !s.suffix().is_empty() {
                return None;
            }
            s.value()
        }
    };
    let plain = !text.contains(['\n', '\r']) && !text.starts_with(['/', '!', '*']);
    plain.then_some(text)
}

/// The text of a raw string literal (`r"..."`, `r#"..."#`), which is its value as written;
/// `None` for any other literal.
fn raw_string_contents(repr: &str) -> Option<&str> {
    let fenced = repr.strip_prefix('r')?;
    let hashes = fenced.bytes().take_while(|&b| b == b'#').count();
    let fence = &fenced[..hashes];
    fenced[hashes..]
        .strip_prefix('"')?
        .strip_suffix(fence)?
        .strip_suffix('"')
}

/// Rust's keywords that are written apart from what follows (`impl <`, `if !`, `for ::x`);
/// path keywords (`crate`, `self`, `super`, `Self`) are not among them.
fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "as" | "async"
            | "await"
            | "break"
            | "const"
            | "continue"
            | "dyn"
            | "else"
            | "enum"
            | "extern"
            | "fn"
            | "for"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "pub"
            | "ref"
            | "return"
            | "static"
            | "struct"
            | "trait"
            | "type"
            | "unsafe"
            | "use"
            | "where"
            | "while"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    /// The layout reads back as the same code: prettyplease prints both alike.
    fn same_code(tokens: TokenStream) -> String {
        let text = layout(tokens.clone());
        let from_text: syn::File = syn::parse_str(&text).unwrap_or_else(|e| panic!("{e}:\n{text}"));
        let from_tokens: syn::File = syn::parse2(tokens).expect("the tokens parse");
        assert_eq!(
            prettyplease::unparse(&from_text),
            prettyplease::unparse(&from_tokens),
            "{text}"
        );
        // And to the lexer: the same tokens, apart from how documentation is written.
        text
    }

    #[test]
    fn items_statements_and_fields_go_on_their_own_lines() {
        let text = same_code(quote! {
            /// A client.
            #[derive(Debug, Clone)]
            pub struct Client {
                #[serde(rename = "x")]
                inner: ::client_runtime::dingtalk::Client,
                items: Vec<Vec<u8>>,
            }
            impl Client {
                pub fn inner(&self) -> &::client_runtime::dingtalk::Client { &self.inner }
                fn check<'a>(&'a self, n: i64) -> Result<(), &'a str> {
                    let x = -n;
                    if n > 3 && !self.items.is_empty() { return Err("big"); } else if n < 0 { x.max(1); }
                    match n { 0 => {} 1 => { let _ = [0u8; 4]; } _ => (), }
                    Ok(())
                }
            }
        });
        let expected = "\
/// A client.
#[derive(Debug, Clone)]
pub struct Client {
    #[serde(rename = \"x\")]
    inner: ::client_runtime::dingtalk::Client,
    items: Vec<Vec<u8>>,
}
impl Client {
    pub fn inner(&self) -> &::client_runtime::dingtalk::Client { &self.inner }
    fn check<'a>(&'a self, n: i64) -> Result<(), &'a str> {
        let x = -n;
        if n > 3 && !self.items.is_empty() {
            return Err(\"big\");
        } else if n < 0 {
            x.max(1);
        }
        match n {
            0 => {}
            1 => {
                let _ = [0u8; 4];
            }
            _ => (),
        }
        Ok(())
    }
}
";
        assert_eq!(text, expected);
    }

    #[test]
    fn documentation_that_a_line_comment_cannot_hold_stays_an_attribute() {
        let text = same_code(quote! {
            #![doc = " inner"]
            #[doc = "two\nlines"]
            #[doc = "/ slash"]
            #[doc = " plain \"quoted\" \\ text"]
            #[doc = r" raw"]
            pub struct A;
        });
        assert!(text.starts_with("//! inner\n"), "{text}");
        assert!(text.contains("#[doc = \"two\\nlines\"]\n"), "{text}");
        assert!(text.contains("#[doc = \"/ slash\"]\n"), "{text}");
        assert!(text.contains("/// plain \"quoted\" \\ text\n"), "{text}");
        assert!(text.contains("/// raw\n"), "{text}");
    }

    #[test]
    fn tokens_that_would_merge_are_kept_apart() {
        let text = same_code(quote! {
            fn f(a: u8, b: &[u8]) -> bool {
                let c = a as u8 > 1 || a < 2 && b != &[] && - -1 < 0 && !!true;
                let d = 1 .max(2) .. 3;
                let r = r#type::x();
                c == (a <= 2) && b[0] >> 1 == 0
            }
        });
        assert!(text.contains("- -1"), "{text}");
        assert!(
            text.contains("!!true") || text.contains("! !true"),
            "{text}"
        );
        assert!(text.contains("r#type::x()"), "{text}");
    }

    #[test]
    fn an_empty_stream_is_an_empty_line() {
        assert_eq!(layout(TokenStream::new()), "\n");
    }
}

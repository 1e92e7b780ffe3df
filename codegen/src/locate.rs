//! Where every key and value of a spec file stands, by its path in the document.
//!
//! serde gives positions only for the errors it finds itself; the semantic checks find theirs
//! after deserialization, so this index, built from the YAML parser's marked events, maps a path
//! such as `request.fields.super_id.max` back to a line and column.

use std::collections::BTreeMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub col: usize,
}

impl Pos {
    /// The start of a file.
    pub const START: Pos = Pos { line: 1, col: 1 };
}

/// One step of a path into a YAML document.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Seg {
    /// A mapping key.
    Key(String),
    /// A sequence position.
    Index(usize),
}

/// A path into a YAML document.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct DocPath(pub Vec<Seg>);

impl DocPath {
    /// The document root.
    pub fn root() -> Self {
        DocPath(Vec::new())
    }

    /// The path of `key` below this one.
    pub fn key(&self, key: impl Into<String>) -> Self {
        let mut v = self.0.clone();
        v.push(Seg::Key(key.into()));
        DocPath(v)
    }

    /// The path as written in messages: `request.fields.name`, `errors[2].code`.
    pub fn display(&self) -> String {
        let mut out = String::new();
        for seg in &self.0 {
            match seg {
                Seg::Key(k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
                Seg::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }

    /// The path of item `index` below this one.
    pub fn index(&self, index: usize) -> Self {
        let mut v = self.0.clone();
        v.push(Seg::Index(index));
        DocPath(v)
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct Marks {
    key: Option<Pos>,
    value: Option<Pos>,
}

/// Positions of the keys and values of one document.
#[derive(Debug, Clone, Default)]
pub struct Locator {
    marks: BTreeMap<DocPath, Marks>,
}

impl Locator {
    /// Index `text`. A document the parser cannot read yields an empty index (serde reports the
    /// syntax error with its own position).
    pub fn new(text: &str) -> Self {
        let mut builder = Builder::default();
        let mut parser = Parser::new_from_str(text);
        if parser.load(&mut builder, false).is_err() {
            return Locator::default();
        }
        Locator {
            marks: builder.marks,
        }
    }

    /// Where the value at `path` starts; falls back to its key, then to the nearest ancestor.
    pub fn value(&self, path: &DocPath) -> Pos {
        self.find(path, |m| m.value.or(m.key))
    }

    /// Where the key of the entry at `path` stands; falls back to its value, then to the nearest
    /// ancestor.
    pub fn key(&self, path: &DocPath) -> Pos {
        self.find(path, |m| m.key.or(m.value))
    }

    fn find(&self, path: &DocPath, pick: impl Fn(&Marks) -> Option<Pos>) -> Pos {
        let mut segs = path.0.as_slice();
        // The root mapping's own mark is where the parser noticed it, not where it starts.
        while !segs.is_empty() {
            if let Some(pos) = self.marks.get(&DocPath(segs.to_vec())).and_then(&pick) {
                return pos;
            }
            segs = &segs[..segs.len() - 1];
        }
        Pos::START
    }
}

enum Frame {
    Map { key: Option<String> },
    Seq { next: usize },
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    path: Vec<Seg>,
    marks: BTreeMap<DocPath, Marks>,
}

fn pos(m: Marker) -> Pos {
    Pos {
        line: m.line(),
        col: m.col() + 1,
    }
}

impl Builder {
    /// Records a value at the current position and returns the path it took, or `None` when
    /// the event was a mapping key.
    fn value_or_key(&mut self, scalar: Option<&str>, mark: Marker) -> Option<Vec<Seg>> {
        match self.stack.last_mut() {
            Some(Frame::Map { key }) if key.is_none() => {
                let k = scalar.unwrap_or("<complex key>").to_owned();
                let mut p = self.path.clone();
                p.push(Seg::Key(k.clone()));
                self.marks.entry(DocPath(p)).or_default().key = Some(pos(mark));
                *key = Some(k);
                None
            }
            Some(Frame::Map { key }) => {
                let k = key.take().unwrap_or_default();
                let mut p = self.path.clone();
                p.push(Seg::Key(k));
                Some(p)
            }
            Some(Frame::Seq { next }) => {
                let mut p = self.path.clone();
                p.push(Seg::Index(*next));
                *next += 1;
                Some(p)
            }
            None => Some(Vec::new()),
        }
    }

    fn record_value(&mut self, path: &[Seg], mark: Marker) {
        self.marks.entry(DocPath(path.to_vec())).or_default().value = Some(pos(mark));
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::Scalar(ref s, ..) => {
                if let Some(p) = self.value_or_key(Some(s), mark) {
                    self.record_value(&p, mark);
                }
            }
            Event::Alias(_) => {
                if let Some(p) = self.value_or_key(None, mark) {
                    self.record_value(&p, mark);
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let is_map = matches!(ev, Event::MappingStart(..));
                let p = self.value_or_key(None, mark).unwrap_or_else(|| {
                    // A collection used as a mapping key: index its contents under that key.
                    let mut p = self.path.clone();
                    p.push(Seg::Key("<complex key>".into()));
                    p
                });
                self.record_value(&p, mark);
                self.path = p;
                self.stack.push(if is_map {
                    Frame::Map { key: None }
                } else {
                    Frame::Seq { next: 0 }
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
                self.path.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_values_are_found_by_path() {
        let text = "api: x\nrequest:\n  fields:\n    a:\n      type: string\n    b: {type: int64}\nlist:\n  - 1\n  - two\n";
        let loc = Locator::new(text);
        let a_ty = DocPath::root()
            .key("request")
            .key("fields")
            .key("a")
            .key("type");
        assert_eq!(loc.key(&a_ty), Pos { line: 5, col: 7 });
        assert_eq!(loc.value(&a_ty), Pos { line: 5, col: 13 });
        let b_ty = DocPath::root()
            .key("request")
            .key("fields")
            .key("b")
            .key("type");
        assert_eq!(loc.value(&b_ty), Pos { line: 6, col: 15 });
        assert_eq!(
            loc.value(&DocPath::root().key("list").index(1)),
            Pos { line: 9, col: 5 }
        );
        // Unknown paths fall back to the nearest known ancestor.
        let missing = DocPath::root()
            .key("request")
            .key("fields")
            .key("a")
            .key("max");
        assert_eq!(loc.key(&missing), Pos { line: 4, col: 5 });
        assert_eq!(loc.key(&DocPath::root().key("nothing")), Pos::START);
    }
}

//! Where every key and value of a spec file stands, by its path in the document.
//!
//! serde gives positions only for the errors it finds itself; the semantic checks find theirs
//! after deserialization, so this index, built from the YAML parser's marked events, maps a path
//! such as `request.fields.super_id.max` back to a line and column.

use yaml_rust2::parser::{Event, Parser};
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

/// One indexed path: its last segment, where its key and value stand, and its place among its
/// siblings. Paths form a tree in document order, so building the index moves each key out of
/// the parser's event instead of copying the whole path for every node.
#[derive(Debug, Clone)]
struct Node {
    seg: Seg,
    marks: Marks,
    first_child: u32,
    last_child: u32,
    next_sibling: u32,
}

/// No node: the end of a list of siblings, or a path below [`INDEXED_DEPTH`].
const NONE: u32 = u32::MAX;

/// The document root's node.
const ROOT: u32 = 0;

/// Positions of the keys and values of one document.
#[derive(Debug, Clone, Default)]
pub struct Locator {
    /// The tree of paths, the root first; empty when the document could not be read.
    nodes: Vec<Node>,
}

impl Locator {
    /// Index `text`. A document the parser cannot read yields an empty index (serde reports the
    /// syntax error with its own position).
    pub fn new(text: &str) -> Self {
        Self::bounded(text, usize::MAX).unwrap_or_default()
    }

    /// Index `text`, refusing documents whose collections nest more than `max_depth` deep:
    /// `Err` holds where the first collection too deep starts. Parsing stops there, so neither
    /// time nor memory depend on how much deeper the document goes.
    ///
    /// The parser's events are read one by one (no recursion, whatever the depth), and positions
    /// are kept only for the first [`INDEXED_DEPTH`] levels: deeper values fall back to their
    /// ancestor at that level, so memory grows with the size of the document, not with its size
    /// times its depth.
    pub fn bounded(text: &str, max_depth: usize) -> Result<Self, Pos> {
        let mut builder = Builder::default();
        let mut parser = Parser::new_from_str(text);
        loop {
            match parser.next_token() {
                Ok((Event::StreamEnd | Event::DocumentEnd, _)) => break,
                Ok((ev, mark)) => {
                    let opens = matches!(ev, Event::MappingStart(..) | Event::SequenceStart(..));
                    if opens && builder.stack.len() >= max_depth {
                        return Err(pos(mark));
                    }
                    builder.on_event(ev, mark);
                }
                // The scanner stops at 255 open brackets, before the parser reports any of them:
                // that is nesting too deep as well (and left to serde, would take it quadratic
                // time to reject).
                Err(e) if e.info() == "recursion limit exceeded" => return Err(pos(*e.marker())),
                Err(_) => return Ok(Locator::default()),
            }
        }
        Ok(Locator {
            nodes: builder.nodes,
        })
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
        if self.nodes.is_empty() {
            return Pos::START;
        }
        // The marks of each prefix of `path`, as far as the index goes. A key written twice has
        // a node per occurrence: their subtrees are searched together, and where several give
        // a mark the one written last counts (serde reads the first occurrence, then reports the
        // duplicate).
        let mut merged: Vec<Marks> = Vec::with_capacity(path.0.len());
        let mut level = vec![ROOT];
        for seg in &path.0 {
            let mut next = Vec::new();
            for &parent in &level {
                let mut child = self.nodes[parent as usize].first_child;
                while child != NONE {
                    let node = &self.nodes[child as usize];
                    if node.seg == *seg {
                        next.push(child);
                    }
                    child = node.next_sibling;
                }
            }
            if next.is_empty() {
                break;
            }
            // Nodes are numbered in document order.
            next.sort_unstable();
            let marks = next.iter().fold(Marks::default(), |m, &n| {
                let n = &self.nodes[n as usize].marks;
                Marks {
                    key: n.key.or(m.key),
                    value: n.value.or(m.value),
                }
            });
            merged.push(marks);
            level = next;
        }
        // The root mapping's own mark is where the parser noticed it, not where it starts.
        merged.iter().rev().find_map(pick).unwrap_or(Pos::START)
    }

    /// Whether nothing was indexed.
    #[cfg(test)]
    fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// How many levels below the root the index goes.
    #[cfg(test)]
    fn depth(&self) -> usize {
        fn below(nodes: &[Node], n: u32) -> usize {
            let mut deepest = 0;
            let mut child = nodes[n as usize].first_child;
            while child != NONE {
                deepest = deepest.max(1 + below(nodes, child));
                child = nodes[child as usize].next_sibling;
            }
            deepest
        }
        if self.nodes.is_empty() {
            0
        } else {
            below(&self.nodes, ROOT)
        }
    }
}

/// Levels of a document whose positions are kept. The checks name paths at most six levels
/// deep (`types.T.rules[0].check.field`); deeper positions resolve to their ancestor here.
pub const INDEXED_DEPTH: usize = 16;

enum Frame {
    /// A mapping; `key` is the node of the key just read (or [`NONE`] when it is not indexed),
    /// until its value is read.
    Map {
        key: Option<u32>,
    },
    Seq {
        next: usize,
    },
}

struct Builder {
    stack: Vec<Frame>,
    /// The node of each segment of the path of the collection being read (one per open
    /// collection but the root); [`NONE`] for segments below [`INDEXED_DEPTH`].
    path: Vec<u32>,
    nodes: Vec<Node>,
}

impl Default for Builder {
    fn default() -> Self {
        Builder {
            stack: Vec::new(),
            path: Vec::new(),
            // The root's segment is never compared: lookups start below it.
            nodes: vec![Node {
                seg: Seg::Index(0),
                marks: Marks::default(),
                first_child: NONE,
                last_child: NONE,
                next_sibling: NONE,
            }],
        }
    }
}

fn pos(m: Marker) -> Pos {
    Pos {
        line: m.line(),
        col: m.col() + 1,
    }
}

impl Builder {
    /// The node of the current path.
    fn current(&self) -> u32 {
        self.path.last().copied().unwrap_or(ROOT)
    }

    /// A new node for `seg` below the current path, or [`NONE`] when that is too deep to index.
    fn child(&mut self, seg: Seg) -> u32 {
        let parent = self.current();
        if parent == NONE || self.path.len() >= INDEXED_DEPTH {
            return NONE;
        }
        let id = u32::try_from(self.nodes.len()).unwrap_or(NONE);
        if id == NONE {
            return NONE;
        }
        self.nodes.push(Node {
            seg,
            marks: Marks::default(),
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
        });
        let p = &mut self.nodes[parent as usize];
        let last = std::mem::replace(&mut p.last_child, id);
        if last == NONE {
            p.first_child = id;
        } else {
            self.nodes[last as usize].next_sibling = id;
        }
        id
    }

    /// Records `mark` as the key or value position of the current path, when it is indexed.
    fn record(&mut self, is_key: bool, mark: Marker) {
        let at = self.current();
        if at == NONE {
            return;
        }
        let m = &mut self.nodes[at as usize].marks;
        if is_key {
            m.key = Some(pos(mark));
        } else {
            m.value = Some(pos(mark));
        }
    }

    /// A scalar, alias or collection start: a mapping key, or a value at the next path.
    /// `opens` is the frame of a collection start.
    fn node(&mut self, scalar: Option<String>, mark: Marker, opens: Option<Frame>) {
        if matches!(self.stack.last(), Some(Frame::Map { key: None })) {
            let k = scalar.unwrap_or_else(|| "<complex key>".to_owned());
            let id = self.child(Seg::Key(k));
            if let Some(Frame::Map { key }) = self.stack.last_mut() {
                *key = Some(id);
            }
            self.path.push(id);
            self.record(true, mark);
            match opens {
                // A collection used as a mapping key: index its contents under that key.
                Some(frame) => {
                    self.record(false, mark);
                    self.stack.push(frame);
                }
                None => {
                    self.path.pop();
                }
            }
            return;
        }
        let at = match self.stack.last_mut() {
            Some(Frame::Map { key }) => key.take(),
            Some(Frame::Seq { next }) => {
                *next += 1;
                let index = *next - 1;
                Some(self.child(Seg::Index(index)))
            }
            None => None,
        };
        let pushed = at.is_some();
        if let Some(id) = at {
            self.path.push(id);
        }
        self.record(false, mark);
        match opens {
            Some(frame) => self.stack.push(frame),
            None if pushed => {
                self.path.pop();
            }
            None => {}
        }
    }

    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::Scalar(s, ..) => self.node(Some(s), mark, None),
            Event::Alias(_) => self.node(None, mark, None),
            Event::MappingStart(..) => self.node(None, mark, Some(Frame::Map { key: None })),
            Event::SequenceStart(..) => self.node(None, mark, Some(Frame::Seq { next: 0 })),
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
                // The root collection pushed no segment.
                if !self.stack.is_empty() {
                    self.path.pop();
                }
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

    #[test]
    fn a_key_written_twice_is_found_in_either_occurrence() {
        // serde reads the first `a` (and reports `a.x` there), then the duplicate.
        let loc = Locator::new("a: {x: bad}\nb: 2\na: 1\n");
        let a = DocPath::root().key("a");
        assert_eq!(loc.key(&a.key("x")), Pos { line: 1, col: 5 });
        assert_eq!(loc.key(&a), Pos { line: 3, col: 1 });
        assert_eq!(loc.value(&a), Pos { line: 3, col: 4 });
    }

    #[test]
    fn nesting_beyond_the_bound_is_refused_where_it_starts() {
        let text = "a:\n  b: [[[1]]]\n";
        // The root mapping, `a`'s mapping, then three lists: the third `[` opens level 5.
        assert!(Locator::bounded(text, 5).is_ok());
        assert_eq!(
            Locator::bounded(text, 4).err(),
            Some(Pos { line: 2, col: 8 })
        );
        let deep = format!("x: {}1{}", "[".repeat(200), "]".repeat(200));
        assert_eq!(
            Locator::bounded(&deep, 100).err(),
            Some(Pos { line: 1, col: 103 })
        );
        // Block mappings nest by indentation, without the parser's bound on brackets.
        let block: String = (0..1000)
            .map(|i| format!("{}a:\n", " ".repeat(i)))
            .collect();
        // Level 101 is the mapping on line 101 (the parser marks a block mapping at its first `:`).
        assert_eq!(
            Locator::bounded(&block, 100).err().map(|p| p.line),
            Some(101)
        );
        // The scanner refuses more than 255 open brackets, before any reaches the parser.
        let unclosed = format!("x: {}", "[".repeat(200_000));
        assert_eq!(
            Locator::bounded(&unclosed, 100).err(),
            Some(Pos { line: 1, col: 259 })
        );
        // Other syntax errors are left for serde to report with its own words.
        assert!(Locator::bounded("x: [1, 2", 100).is_ok_and(|l| l.is_empty()));
        // Without a bound, a deep document is read without recursion.
        let loc = Locator::new(&block);
        assert_eq!(loc.key(&DocPath::root().key("a")), Pos { line: 1, col: 1 });
    }

    #[test]
    fn positions_below_the_indexed_depth_fall_back_to_their_ancestor() {
        let text = format!("x: {}1{}\n", "[".repeat(40), "]".repeat(40));
        let loc = Locator::new(&text);
        let mut deep = DocPath::root().key("x");
        for _ in 0..39 {
            deep = deep.index(0);
        }
        let at = |n: usize| Pos {
            line: 1,
            col: 4 + n,
        };
        // `x` is level 1; its value and the lists inside it are indexed down to level 16.
        assert_eq!(loc.value(&deep), at(INDEXED_DEPTH - 1));
        assert_eq!(loc.depth(), INDEXED_DEPTH);
    }
}

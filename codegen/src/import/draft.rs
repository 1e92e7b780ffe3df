//! The imported endpoint as the importer builds it, before it is written as spec YAML.

use serde_json::Value;

/// The protocol family a page documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// DingTalk `oapi` (`/topapi/...`).
    Oapi,
    /// DingTalk through the TOP router.
    Top,
    /// ClassIn partner API v1.
    ClassIn,
}

impl Family {
    /// The spelling used in spec files.
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Oapi => "dingtalk-oapi",
            Family::Top => "dingtalk-top",
            Family::ClassIn => "classin-v1",
        }
    }

    /// Whether request fields travel in a form body.
    pub fn form_body(self) -> bool {
        matches!(self, Family::Top | Family::ClassIn)
    }
}

/// A field type as a spec writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    /// `string`, `bool`, `int64`, `number`.
    Prim(&'static str),
    /// `list<T>`.
    List(Box<Ty>),
    /// A named type of the endpoint.
    Named(String),
}

impl Ty {
    /// The spec's type expression.
    pub fn expr(&self) -> String {
        match self {
            Ty::Prim(p) => (*p).to_owned(),
            Ty::List(inner) => format!("list<{}>", inner.expr()),
            Ty::Named(n) => n.clone(),
        }
    }

    /// The innermost item type.
    pub fn leaf(&self) -> &Ty {
        match self {
            Ty::List(inner) => inner.leaf(),
            other => other,
        }
    }

    /// The innermost item type, mutably.
    pub fn leaf_mut(&mut self) -> &mut Ty {
        match self {
            Ty::List(inner) => inner.leaf_mut(),
            other => other,
        }
    }

    /// Whether it is a list.
    pub fn is_list(&self) -> bool {
        matches!(self, Ty::List(_))
    }
}

/// A limit key of the spec format with its bound, in the order the format lists them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Limits {
    /// `min_items`.
    pub min_items: Option<u64>,
    /// `max_items`.
    pub max_items: Option<u64>,
    /// `recommended_max_items`.
    pub recommended_max_items: Option<u64>,
    /// `min_length`.
    pub min_length: Option<u64>,
    /// `max_length`.
    pub max_length: Option<u64>,
    /// `length`.
    pub length: Option<u64>,
    /// `truncated_beyond`.
    pub truncated_beyond: Option<u64>,
    /// `min`.
    pub min: Option<f64>,
    /// `max`.
    pub max: Option<f64>,
}

impl Limits {
    /// Every limit set, as `(key, value)` in the format's order.
    pub fn entries(&self) -> Vec<(&'static str, Value)> {
        let mut out = Vec::new();
        let ints = [
            ("min_items", self.min_items),
            ("max_items", self.max_items),
            ("recommended_max_items", self.recommended_max_items),
            ("min_length", self.min_length),
            ("max_length", self.max_length),
            ("length", self.length),
            ("truncated_beyond", self.truncated_beyond),
        ];
        for (k, v) in ints {
            if let Some(v) = v {
                out.push((k, Value::from(v)));
            }
        }
        for (k, v) in [("min", self.min), ("max", self.max)] {
            if let Some(v) = v {
                out.push((k, number(v)));
            }
        }
        out
    }

    /// Whether no limit is set.
    pub fn is_empty(&self) -> bool {
        self.entries().is_empty()
    }
}

/// A bound as JSON: an integer when it is one.
pub fn number(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        Value::from(v as i64)
    } else {
        serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
    }
}

/// One field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Wire name, exactly as documented.
    pub wire: String,
    /// A Rust name (kept from a spec being updated, or needed for a non-ASCII wire name).
    pub rust_name: Option<String>,
    /// Type.
    pub ty: Ty,
    /// Whether the page marks it required.
    pub required: bool,
    /// Whether the page has a required cell for it (response tables have none).
    pub required_stated: bool,
    /// The default the page states.
    pub default: Option<Value>,
    /// The page's example.
    pub example: Option<Value>,
    /// The page's description.
    pub description: Option<String>,
    /// Limits the page states.
    pub limits: Limits,
    /// Form encoding (`json` for objects in form bodies).
    pub encoding: Option<&'static str>,
    /// What was guessed about this field and why.
    pub reviews: Vec<String>,
    /// Keys kept from a spec being updated that the page does not state, as YAML text lines
    /// (`key: value`).
    pub kept: Vec<String>,
    /// The page line the field is documented on.
    pub line: usize,
}

impl Field {
    /// A field of type `ty` with nothing else known.
    pub fn new(wire: &str, ty: Ty, line: usize) -> Field {
        Field {
            wire: wire.to_owned(),
            rust_name: None,
            ty,
            required: false,
            required_stated: false,
            default: None,
            example: None,
            description: None,
            limits: Limits::default(),
            encoding: None,
            reviews: Vec::new(),
            kept: Vec::new(),
            line,
        }
    }
}

/// An object: the request, the response or a named object type.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Object {
    /// What it is.
    pub description: Option<String>,
    /// Fields in page order.
    pub fields: Vec<Field>,
    /// The per-item result marker: code and message field.
    pub item_result: Option<(String, String)>,
    /// Groups of fields the page's words state (`at_least_one_of`).
    pub groups: Vec<Group>,
    /// Keys kept from a spec being updated (`rules`, `groups`), as YAML text lines.
    pub kept: Vec<String>,
}

/// A group of optional fields the page states in words.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// `one_of`, `at_least_one_of` or `exactly_one_of`.
    pub kind: &'static str,
    /// Wire names.
    pub fields: Vec<String>,
    /// The page's words.
    pub description: String,
    /// What was guessed.
    pub reviews: Vec<String>,
}

impl Object {
    /// The field with wire name `wire`.
    pub fn field(&self, wire: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.wire == wire)
    }
}

/// One enum value.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// Wire value: a string or an integer.
    pub value: Value,
    /// Variant name, when the value does not name itself.
    pub name: Option<String>,
    /// What the value means.
    pub description: Option<String>,
}

/// What a named type is.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeBody {
    /// An object.
    Object(Object),
    /// An enum.
    Enum(Vec<Variant>),
}

/// A named type of the endpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The spec name.
    pub name: String,
    /// What it is.
    pub description: Option<String>,
    /// Its fields or values.
    pub body: TypeBody,
    /// What was guessed about this type and why.
    pub reviews: Vec<String>,
}

/// One documented error code.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorCode {
    /// The code.
    pub code: i64,
    /// Variant name (kept from a spec being updated).
    pub name: Option<String>,
    /// `success`, `retryable`, `partial_success`; `None` for a failure.
    pub kind: Option<&'static str>,
    /// The documented meaning.
    pub meaning: Option<String>,
}

/// An endpoint read from a page, ready to be written as a spec.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    /// The vendor folder (`dingtalk`, `classin`).
    pub vendor: String,
    /// The module: the spec file's name without `.yaml`.
    pub module: String,
    /// The documented API name.
    pub api: String,
    /// Short title.
    pub title: String,
    /// What it does.
    pub description: Option<String>,
    /// The vendor's page (kept from a spec being updated).
    pub docs: Option<String>,
    /// Base of the type names (kept from a spec being updated).
    pub name: Option<String>,
    /// Notes (kept from a spec being updated).
    pub notes: Option<String>,
    /// Protocol family.
    pub family: Family,
    /// `GET` or `POST`.
    pub method: &'static str,
    /// Route path (oapi path, ClassIn script path).
    pub path: Option<String>,
    /// ClassIn action.
    pub action: Option<String>,
    /// The request.
    pub request: Object,
    /// The response payload.
    pub response: Object,
    /// Named types in the order first met.
    pub types: Vec<TypeDef>,
    /// Error codes in page order.
    pub errors: Vec<ErrorCode>,
    /// Remarks about the page as a whole: where it contradicts itself and what was followed.
    pub page_notes: Vec<String>,
    /// Guesses about the endpoint as a whole.
    pub reviews: Vec<String>,
    /// A comment block kept from a spec being updated.
    pub header: Vec<String>,
}

impl Endpoint {
    /// The named type called `name`.
    pub fn type_def(&self, name: &str) -> Option<&TypeDef> {
        self.types.iter().find(|t| t.name == name)
    }

    /// The object called `name`, mutably.
    pub fn object_mut(&mut self, name: &str) -> Option<&mut Object> {
        self.types.iter_mut().find_map(|t| match &mut t.body {
            TypeBody::Object(o) if t.name == name => Some(o),
            _ => None,
        })
    }

    /// Every `# review:` comment, in the order written.
    pub fn review_count(&self) -> usize {
        let fields = |o: &Object| o.fields.iter().map(|f| f.reviews.len()).sum::<usize>();
        self.reviews.len()
            + fields(&self.request)
            + fields(&self.response)
            + self
                .types
                .iter()
                .map(|t| {
                    t.reviews.len()
                        + match &t.body {
                            TypeBody::Object(o) => fields(o),
                            TypeBody::Enum(_) => 0,
                        }
                })
                .sum::<usize>()
    }

    /// Number of fields, in the request, the response and every object type.
    pub fn field_count(&self) -> usize {
        self.request.fields.len()
            + self.response.fields.len()
            + self
                .types
                .iter()
                .map(|t| match &t.body {
                    TypeBody::Object(o) => o.fields.len(),
                    TypeBody::Enum(_) => 0,
                })
                .sum::<usize>()
    }

    /// Number of enum types.
    pub fn enum_count(&self) -> usize {
        self.types
            .iter()
            .filter(|t| matches!(t.body, TypeBody::Enum(_)))
            .count()
    }
}

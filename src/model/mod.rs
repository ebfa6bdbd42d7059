//! The language-neutral model of one file: the facts the rules read.
//!
//! A language adapter lowers its syntax tree into a [`FileModel`]: string values
//! (literals, templates, concatenations, with their interpolations as holes), object-like
//! literals with their entries, calls and `new` expressions, bindings of names to values,
//! comments and function scopes. Every fact carries byte spans into the file, so a rule
//! can report on and edit the exact source text without knowing the language.
//!
//! After lowering, [`FileModel::finish`] runs the language-neutral passes: constants are
//! spliced into the strings that use them, and JSON or form bodies held inside string
//! literals become objects of their own.

mod embedded;
mod resolve;
pub mod version;

pub use embedded::is_command;

use crate::source::Span;
use version::{Dialect, Range, Version};

pub type StringId = usize;
pub type ObjectId = usize;
pub type CallId = usize;

/// A value as the rules see it.
#[derive(Clone, Debug)]
pub enum Value {
    String(StringId),
    Object(ObjectId),
    Array(Vec<Value>, Span),
    Call(CallId),
    Expr(Expr),
    /// A number, boolean, null, function, ...: present, but nothing a rule reads.
    Other(Span),
}

impl Value {
    pub fn span(&self, model: &FileModel) -> Span {
        match self {
            Value::String(id) => model.strings[*id].span,
            Value::Object(id) => model.objects[*id].span,
            Value::Array(_, span) | Value::Other(span) => *span,
            Value::Call(id) => model.calls[*id].span,
            Value::Expr(expr) => expr.span,
        }
    }
}

/// An expression the adapter does not model further: an identifier, a member access,
/// an index, ... `text` is its source text with whitespace removed (`authResult.idToken`,
/// `localStorage.getItem('id_token')`), empty when the expression is too long to matter.
#[derive(Clone, Debug)]
pub struct Expr {
    pub span: Span,
    pub text: String,
}

impl Expr {
    /// True when the expression is a plain name or dotted path (`RO_URL`, `this.baseUrl`).
    pub fn is_path(&self) -> bool {
        !self.text.is_empty()
            && self
                .text
                .split('.')
                .all(|seg| !seg.is_empty() && seg.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '$'))
    }
}

/// How a string's text is written, which decides how inserted text must be escaped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quoting {
    /// Characters need no escaping (a JSON/YAML key, a fragment of a URL).
    Plain,
    /// Inside a quoted literal whose delimiter is this character.
    Quoted(char),
}

/// A literal piece of a string value: its decoded text and where it comes from.
#[derive(Clone, Debug)]
pub struct Literal {
    pub text: String,
    /// The source bytes of the piece's content (inside the quotes).
    pub span: Span,
    /// `(text offset, source offset)` pairs, sorted, one per character whose source
    /// position is not `span.start + text offset` (after an escape sequence). Empty for
    /// pieces without escapes.
    pub map: Vec<(usize, usize)>,
    /// For a piece spliced in from a constant defined elsewhere in the file: the span of
    /// the name it replaces in the string that uses it.
    pub site: Option<Span>,
    pub quoting: Quoting,
}

impl Literal {
    pub fn plain(text: String, span: Span, quoting: Quoting) -> Self {
        Literal { text, span, map: Vec::new(), site: None, quoting }
    }

    /// The source offset of the character at `text_offset` (or of the end of the piece).
    pub fn source_offset(&self, text_offset: usize) -> usize {
        if text_offset >= self.text.len() {
            return self.span.end;
        }
        match self.map.binary_search_by_key(&text_offset, |&(t, _)| t) {
            Ok(i) => self.map[i].1,
            Err(0) => self.span.start + text_offset,
            Err(i) => {
                let (t, s) = self.map[i - 1];
                s + (text_offset - t)
            }
        }
    }

    /// The source span of the decoded text range `[start, end)`. For a range that
    /// ends inside an escape sequence this covers the whole sequence.
    pub fn source_span(&self, start: usize, end: usize) -> Span {
        Span::new(self.source_offset(start), self.source_offset(end))
    }

    /// True when the piece was spliced in from a constant defined elsewhere.
    pub fn from_binding(&self) -> bool {
        self.site.is_some()
    }

    /// The piece of this literal holding the decoded range `[start, end)`.
    pub fn slice(&self, start: usize, end: usize) -> Literal {
        let span = self.source_span(start, end);
        let mut map = Vec::new();
        for &(t, s) in &self.map {
            if t > start && t < end {
                map.push((t - start, s));
            }
        }
        // The identity from the slice's start must hold until the first entry.
        let mut lit =
            Literal { text: self.text[start..end].to_string(), span, map, site: self.site, quoting: self.quoting };
        lit.map.retain(|&(t, s)| s != lit.span.start + t);
        lit
    }

    /// True when the decoded range is written literally in the source (no escape
    /// inside it), so an edit of exactly that source text is an edit of that text.
    pub fn is_verbatim(&self, start: usize, end: usize) -> bool {
        let span = self.source_span(start, end);
        span.len() == end - start
    }
}

#[derive(Clone, Debug)]
pub enum Part {
    Literal(Literal),
    /// An interpolation or a non-literal operand of a concatenation.
    Hole(Box<Value>),
}

/// A string value: a literal, a template, a concatenation, an f-string, ...
#[derive(Clone, Debug)]
pub struct StringValue {
    pub span: Span,
    pub parts: Vec<Part>,
    /// The object parsed from the string's text when it holds a JSON or form body.
    pub embedded: Option<ObjectId>,
    /// True for values made by the model itself (a JSON value inside a string), which
    /// are reached through their object and never reported on their own.
    pub nested: bool,
}

/// The character that stands for a hole in [`StringValue::text`].
pub const HOLE: char = '\u{FFFC}';

impl StringValue {
    /// The decoded text with every hole written as [`HOLE`].
    pub fn text(&self) -> String {
        let mut text = String::new();
        for part in &self.parts {
            match part {
                Part::Literal(lit) => text.push_str(&lit.text),
                Part::Hole(_) => text.push(HOLE),
            }
        }
        text
    }

    /// The decoded text if the value has no holes.
    pub fn literal_text(&self) -> Option<String> {
        self.parts.iter().all(|p| matches!(p, Part::Literal(_))).then(|| self.text())
    }

    /// Finds which literal piece holds the decoded text range `[start, end)` of
    /// [`StringValue::text`], with the range relative to that piece.
    pub fn locate(&self, start: usize, end: usize) -> Option<(&Literal, usize, usize)> {
        let mut offset = 0;
        for part in &self.parts {
            let len = match part {
                Part::Literal(lit) => lit.text.len(),
                Part::Hole(_) => HOLE.len_utf8(),
            };
            if start >= offset && end <= offset + len {
                return match part {
                    Part::Literal(lit) => Some((lit, start - offset, end - offset)),
                    Part::Hole(_) => None,
                };
            }
            offset += len;
        }
        None
    }

    /// The holes of the value in order.
    pub fn holes(&self) -> impl Iterator<Item = &Value> {
        self.parts.iter().filter_map(|p| match p {
            Part::Hole(v) => Some(v.as_ref()),
            Part::Literal(_) => None,
        })
    }
}

/// Where an object-like literal comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObjectKind {
    /// An object, dict, hash, map or array literal written in the language.
    Literal,
    /// The keyword arguments of a call (Python `f(a=1)`, Ruby `f(a: 1)`).
    Arguments,
    /// A JSON document held in a string.
    Json,
    /// An `a=b&c=d` form body or query string held in a string.
    Form,
}

#[derive(Clone, Debug)]
pub struct Entry {
    pub key: String,
    /// The key's own text, without quotes: the part a rename replaces.
    pub key_span: Span,
    pub value: Value,
    /// The whole entry, key to value.
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct ObjectLiteral {
    pub span: Span,
    pub kind: ObjectKind,
    pub entries: Vec<Entry>,
}

impl ObjectLiteral {
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }

    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }
}

#[derive(Clone, Debug)]
pub struct Arg {
    /// A keyword argument's name or a Swift/Kotlin label.
    pub label: Option<String>,
    pub value: Value,
    pub span: Span,
}

/// A call or `new` expression.
#[derive(Clone, Debug)]
pub struct Call {
    pub span: Span,
    /// The callee as a dotted path, calls written with empty parentheses:
    /// `lock.getClient().getDelegationToken`, `auth0.Management`.
    pub callee: String,
    /// The span of the last segment of the callee: the method or class name.
    pub name_span: Span,
    pub is_new: bool,
    pub args: Vec<Arg>,
    /// The span of the argument list, parentheses included.
    pub args_span: Span,
    /// The call this one is chained on: `b.path("oauth")` in `b.path("oauth").path("ro")`.
    pub receiver: Option<CallId>,
    /// Keyword arguments (`f(a=1)`, `f(a: 1)`) as one object, so rules read them like
    /// an options object.
    pub keywords: Option<ObjectId>,
}

impl Call {
    /// The callee's segments.
    pub fn segments(&self) -> Vec<&str> {
        split_path(&self.callee)
    }

    pub fn name(&self) -> &str {
        self.segments().last().copied().unwrap_or("")
    }

    /// True when the callee path ends with `suffix`, segment by segment.
    pub fn callee_ends_with(&self, suffix: &str) -> bool {
        let path = self.segments();
        let want = split_path(suffix);
        want.len() <= path.len() && path[path.len() - want.len()..] == want[..]
    }
}

/// Splits a dotted path at the dots that are not inside parentheses or brackets.
pub fn split_path(path: &str) -> Vec<&str> {
    let mut segments = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in path.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            '.' if depth == 0 => {
                segments.push(&path[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    segments.push(&path[start..]);
    segments
}

/// A name bound to a value: `const X = ...`, `X = ...`, `let x = ...`.
#[derive(Clone, Debug)]
pub struct Binding {
    pub name: String,
    pub value: Value,
    pub span: Span,
}

/// Code that turns TLS certificate or hostname verification off.
#[derive(Clone, Debug)]
pub struct TlsOverride {
    /// The override as written.
    pub span: Span,
    /// What it is, as the subject of a sentence: "A hostname verifier that accepts every host".
    pub what: String,
    /// The text whose deletion restores the default verification (a chained
    /// `.hostnameVerifier(...)` call, a statement with its line), when there is one.
    pub removal: Option<Span>,
}

/// A function definition: a declaration, an expression, a lambda/arrow or a method.
#[derive(Clone, Debug)]
pub struct Function {
    pub span: Span,
    /// The declared name, if any (`function name(...)`, a method's name).
    pub name: Option<String>,
    pub params: Vec<Param>,
    /// The parameter list, parentheses included; a lone lambda parameter written without
    /// them (`x => ...`) is its own span.
    pub params_span: Span,
    /// The body: a block, or the expression of a lambda with an expression body.
    pub body: Span,
    /// The body is one expression (`x => x + 1`), not a block.
    pub expression_body: bool,
}

/// A parameter of a function.
#[derive(Clone, Debug)]
pub struct Param {
    /// The name it binds, when it binds a single name (`x`, `x = 1`, `x: T`); `None` for a
    /// destructuring pattern.
    pub name: Option<String>,
    pub span: Span,
}

/// One step of an [`Access`] chain.
#[derive(Clone, Debug)]
pub struct Segment {
    /// The property name (`idToken` in `context.idToken`); `None` for a computed index
    /// (`[ns + 'x']`).
    pub name: Option<String>,
    /// The property name, or the index expression inside the brackets.
    pub span: Span,
    /// Where the access up to and including this step ends.
    pub end: usize,
}

/// A member access or index chain, from its root to its last step, taken as a whole:
/// `context.request.geoip.country_code`, `context.idToken[ns + 'roles']`. Chains inside
/// an index are chains of their own.
#[derive(Clone, Debug)]
pub struct Access {
    pub span: Span,
    /// The innermost object: a name (`context`), or any expression (`foo()`, `this`), as
    /// its source text without whitespace (empty when too long).
    pub root: String,
    pub root_span: Span,
    /// True when the root is a plain name.
    pub root_is_name: bool,
    pub segments: Vec<Segment>,
}

impl Access {
    /// The chain as a dotted path, computed indexes written `[]`: `context.idToken[]`.
    pub fn path(&self) -> String {
        let mut path = self.root.clone();
        for seg in &self.segments {
            match &seg.name {
                Some(name) => {
                    path.push('.');
                    path.push_str(name);
                }
                None => path.push_str("[]"),
            }
        }
        path
    }
}

/// A name written in the source: a use of a variable, or a declaration of one.
#[derive(Clone, Debug)]
pub struct Name {
    pub text: String,
    pub span: Span,
}

/// An assignment: `target = value`, or with an operator (`target += value`).
#[derive(Clone, Debug)]
pub struct Assignment {
    pub span: Span,
    pub target: Span,
    /// `=`, `+=`, `||=`, ...
    pub operator: String,
    pub value: Span,
}

/// The removal of a member or variable: `delete x.y`, Python's `del x[k]`.
#[derive(Clone, Debug)]
pub struct Deletion {
    pub span: Span,
    pub target: Span,
}

/// An equality test: `a === b`, `a == b`, `a != b`, ...
#[derive(Clone, Debug)]
pub struct Comparison {
    pub span: Span,
    pub left: Span,
    pub right: Span,
    /// True for an inequality (`!==`, `!=`).
    pub negated: bool,
}

/// What a statement does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StatementKind {
    /// An expression evaluated for its effect; the span of the expression.
    Expression(Span),
    /// `return`, with the span of its value.
    Return(Option<Span>),
    /// `throw`, with the span of what is thrown.
    Throw(Option<Span>),
    /// A declaration of variables (`const x = ...;`).
    Declaration,
    /// `if (condition) then else otherwise`: the condition without its parentheses, and
    /// the two branches (blocks or single statements).
    Branch { condition: Span, then: Span, otherwise: Option<Span> },
    /// Any other statement (loops, `try`, nested blocks, function declarations, ...).
    Other,
}

/// A statement, terminator included.
#[derive(Clone, Debug)]
pub struct Statement {
    pub span: Span,
    pub kind: StatementKind,
}

/// A package registry, which decides how names and version requirements read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ecosystem {
    Npm,
    PyPI,
    RubyGems,
    Packagist,
    CocoaPods,
    /// Swift Package Manager: packages are named by their repository (`auth0/Auth0.swift`).
    SwiftPM,
    /// Carthage: named by their repository too.
    Carthage,
    Maven,
    NuGet,
    Go,
}

impl Ecosystem {
    pub fn name(&self) -> &'static str {
        match self {
            Ecosystem::Npm => "npm",
            Ecosystem::PyPI => "PyPI",
            Ecosystem::RubyGems => "RubyGems",
            Ecosystem::Packagist => "Packagist",
            Ecosystem::CocoaPods => "CocoaPods",
            Ecosystem::SwiftPM => "Swift Package Manager",
            Ecosystem::Carthage => "Carthage",
            Ecosystem::Maven => "Maven",
            Ecosystem::NuGet => "NuGet",
            Ecosystem::Go => "Go modules",
        }
    }

    /// The ecosystem named in the rule tables (`npm`, `pypi`, ...).
    pub fn from_name(name: &str) -> Option<Ecosystem> {
        Some(match name {
            "npm" => Ecosystem::Npm,
            "pypi" => Ecosystem::PyPI,
            "rubygems" => Ecosystem::RubyGems,
            "packagist" => Ecosystem::Packagist,
            "cocoapods" => Ecosystem::CocoaPods,
            "swiftpm" => Ecosystem::SwiftPM,
            "carthage" => Ecosystem::Carthage,
            "maven" => Ecosystem::Maven,
            "nuget" => Ecosystem::NuGet,
            "go" => Ecosystem::Go,
            _ => return None,
        })
    }

    fn dialect(&self) -> Dialect {
        match self {
            Ecosystem::Npm => Dialect::Npm,
            Ecosystem::Packagist => Dialect::Composer,
            _ => Dialect::Exact,
        }
    }

    /// The name in its canonical form, for comparison: PyPI names are case-insensitive
    /// with `-`, `_` and `.` alike; repositories, pods, NuGet and Maven ids are
    /// case-insensitive.
    pub fn normalize(&self, name: &str) -> String {
        match self {
            Ecosystem::Npm | Ecosystem::Packagist | Ecosystem::Go => name.to_string(),
            Ecosystem::PyPI => name.to_ascii_lowercase().replace(['_', '.'], "-"),
            _ => name.to_ascii_lowercase(),
        }
    }
}

/// A dependency declared by a manifest (`package.json`, `requirements.txt`, `Gemfile`,
/// ...) or pinned by a lockfile.
#[derive(Clone, Debug)]
pub struct Dependency {
    pub ecosystem: Ecosystem,
    /// The package as written (`auth0-js`, `com.auth0.android:auth0`, `auth0/Auth0.swift`).
    pub name: String,
    /// The version requirement as written (`^7.6.1`, `~> 4.0`); empty when none is.
    pub requirement: String,
    /// The version a lockfile pins.
    pub resolved: Option<Version>,
    /// Needed to develop or test the project only (`devDependencies`, `require-dev`,
    /// `[dev-packages]`, a test scope).
    pub development: bool,
    /// From a lockfile rather than a manifest.
    pub locked: bool,
    /// For a lockfile entry: whether the project asks for it itself (`None`: the lockfile
    /// does not say).
    pub direct: Option<bool>,
    /// The whole entry.
    pub span: Span,
    /// The version text (inside its quotes), else the name.
    pub version_span: Span,
}

impl Dependency {
    /// True when `name` is this package in its ecosystem.
    pub fn is(&self, ecosystem: Ecosystem, name: &str) -> bool {
        self.ecosystem == ecosystem && ecosystem.normalize(&self.name) == ecosystem.normalize(name)
    }

    /// The versions the entry allows: the pinned version, else the requirement's range.
    pub fn range(&self) -> Option<Range> {
        match self.resolved {
            Some(v) => Some(Range { low: v, high: Some(Version::new(v.major, v.minor, v.patch + 1)) }),
            None => version::range(&self.requirement, self.ecosystem.dialect()),
        }
    }

    /// The version to name in messages: the pinned one, else the lowest allowed.
    pub fn version(&self) -> Option<Version> {
        self.resolved.or_else(|| self.range().map(|r| r.low))
    }
}

/// An external script a page loads: `<script src="...">`.
#[derive(Clone, Debug)]
pub struct ScriptSource {
    pub url: String,
    /// The URL's text inside its quotes.
    pub span: Span,
}

/// A configuration block: Terraform/HCL `resource "auth0_client" "app" { ... }` or a
/// nested `jwt_configuration { ... }`. Its body is also the value of an entry keyed by the
/// block's type in the enclosing body's object, so rules that read objects see it as one.
#[derive(Clone, Debug)]
pub struct Block {
    pub span: Span,
    /// The block type: `resource`, `data`, `flags`, `jwt_configuration`, ...
    pub kind: String,
    /// The labels, unquoted: `["auth0_client", "app"]`.
    pub labels: Vec<String>,
    /// The object of the block's body.
    pub body: ObjectId,
}

impl Block {
    /// The resource type of a `resource` or `data` block (`auth0_client`).
    pub fn resource_type(&self) -> Option<&str> {
        matches!(self.kind.as_str(), "resource" | "data").then(|| self.labels.first().map(String::as_str)).flatten()
    }

    /// The name of a `resource` or `data` block (`app` in `resource "auth0_client" "app"`).
    pub fn resource_name(&self) -> Option<&str> {
        matches!(self.kind.as_str(), "resource" | "data").then(|| self.labels.get(1).map(String::as_str)).flatten()
    }
}

#[derive(Clone, Debug, Default)]
pub struct FileModel {
    pub strings: Vec<StringValue>,
    pub objects: Vec<ObjectLiteral>,
    pub calls: Vec<Call>,
    pub bindings: Vec<Binding>,
    pub comments: Vec<Span>,
    /// Function bodies and similar, used to relate facts that sit in the same function.
    pub scopes: Vec<Span>,
    /// How the file's language writes a key and its value, when the adapter says.
    pub pair_separator: Option<&'static str>,
    /// How the file's language reads an environment variable, when the adapter says: a
    /// template in which `{name}` stands for the variable (`process.env.{name}`).
    pub env_lookup: Option<&'static str>,
    /// What the file must gain for [`FileModel::env_lookup`] to compile, when it lacks it:
    /// the text to insert and the offset to insert it at (Python's `import os`, Go's
    /// `"os"` import). Set by the adapter; `None` when nothing is needed.
    pub env_lookup_import: Option<(usize, String)>,
    /// Places where only a compile-time constant may be written (Go `const` declarations,
    /// C# `const` declarations and attribute arguments, PHP class constants and property
    /// defaults, Kotlin `const val`, Java and Kotlin annotation arguments): a value there
    /// cannot become an expression evaluated at run time.
    pub constant_contexts: Vec<Span>,
    /// How the file's language joins two strings (` + `, PHP's ` . `), when the adapter
    /// says.
    pub concatenation: Option<&'static str>,
    /// In a typed language where the environment lookup is not the type of every string
    /// literal (Rust's `String` against `&'static str`): the literals it may replace. `None`
    /// when it may replace any.
    pub env_lookup_sites: Option<Vec<Span>>,
    /// True when the file runs in a browser page or a mobile app: a public client, which
    /// cannot keep a secret (an HTML page's scripts, a component importing a browser or
    /// mobile SDK). Set by the adapter.
    pub client_side: bool,
    /// In a host file (an HTML page, a Markdown document): the code regions and the SDK
    /// family of each (`javascript`, `python`...), so that SDK tables apply to the code of a
    /// fence as they do to a file of its language.
    pub region_families: Vec<(Span, &'static str)>,
    /// Code that turns TLS verification off without a setting to read: a trust manager
    /// that accepts every certificate, a hostname verifier that accepts every host. Filled
    /// by the adapters that know such code (Java, Kotlin).
    pub tls_overrides: Vec<TlsOverride>,
    /// Syntax errors the parser recovered from (the first ones).
    pub syntax_errors: Vec<Span>,
    /// Function definitions, in source order. (Filled by the adapters that know them:
    /// JavaScript and TypeScript so far, like the facts below.)
    pub functions: Vec<Function>,
    /// Member access and index chains, whole (not their inner prefixes).
    pub accesses: Vec<Access>,
    /// Names used as values: variables read, called or assigned (not property names, not
    /// the names being declared).
    pub names: Vec<Name>,
    /// Names being declared: variables, parameters, functions, catch parameters, imports.
    pub declarations: Vec<Name>,
    pub assignments: Vec<Assignment>,
    pub deletions: Vec<Deletion>,
    pub comparisons: Vec<Comparison>,
    /// Statements, in source order (a statement nested in another comes after it).
    pub statements: Vec<Statement>,
    /// Dependencies, in a manifest or lockfile (filled by the manifest readers).
    pub dependencies: Vec<Dependency>,
    /// Scripts an HTML page loads from a URL (`<script src>`).
    pub script_sources: Vec<ScriptSource>,
    /// Configuration blocks, outermost first (filled by the HCL adapter).
    pub blocks: Vec<Block>,
}

impl FileModel {
    /// Runs the language-neutral passes once the adapter has lowered the file.
    pub fn finish(&mut self, source: &str) {
        resolve::splice_constants(self);
        embedded::parse_embedded(self, source);
    }

    /// The string a value is, following bindings of plain names.
    pub fn string_of(&self, value: &Value) -> Option<&StringValue> {
        match self.resolve(value) {
            Value::String(id) => Some(&self.strings[*id]),
            _ => None,
        }
    }

    /// The object a value is: an object literal, a name bound to one, or a string that
    /// holds one.
    pub fn object_of(&self, value: &Value) -> Option<ObjectId> {
        match self.resolve(value) {
            Value::Object(id) => Some(*id),
            Value::String(id) => self.strings[*id].embedded,
            _ => None,
        }
    }

    /// Follows a plain name to the value it is bound to where it is used.
    pub fn resolve<'a>(&'a self, value: &'a Value) -> &'a Value {
        let mut current = value;
        for _ in 0..8 {
            match current {
                Value::Expr(expr) if expr.is_path() => match self.binding_at(&expr.text, expr.span) {
                    Some(binding) => current = &binding.value,
                    None => break,
                },
                _ => break,
            }
        }
        current
    }

    /// The binding of `name` visible at `at`: among the bindings whose scope holds `at`,
    /// the innermost, and in it the last one made before `at` (or the first one after).
    pub fn binding_at(&self, name: &str, at: Span) -> Option<&Binding> {
        let mut best: Option<(&Binding, usize, bool, usize)> = None;
        for binding in self.bindings.iter().filter(|b| b.name == name) {
            if binding.span.contains(at) {
                continue; // `x = x + 1`: the use is the binding's own value
            }
            let scope = self.scope_of(binding.span);
            if let Some(scope) = scope {
                if !scope.contains(at) {
                    continue;
                }
            }
            let depth = scope.map_or(usize::MAX, |s| s.len());
            let before = binding.span.start < at.start;
            let key = (binding, depth, before, binding.span.start);
            best = match best {
                None => Some(key),
                Some(cur) => {
                    let better = depth < cur.1
                        || (depth == cur.1 && before && !cur.2)
                        || (depth == cur.1 && before == cur.2 && before && binding.span.start > cur.3);
                    Some(if better { key } else { cur })
                }
            };
        }
        best.map(|b| b.0)
    }

    /// The innermost function whose body contains `span`.
    pub fn function_of(&self, span: Span) -> Option<usize> {
        (0..self.functions.len())
            .filter(|&f| self.functions[f].body.contains(span))
            .min_by_key(|&f| self.functions[f].body.len())
    }

    /// The innermost statement that contains `span`.
    pub fn statement_of(&self, span: Span) -> Option<usize> {
        (0..self.statements.len())
            .filter(|&s| self.statements[s].span.contains(span))
            .min_by_key(|&s| self.statements[s].span.len())
    }

    /// The innermost scope that contains `span` (the whole file when none does).
    pub fn scope_of(&self, span: Span) -> Option<Span> {
        self.scopes.iter().filter(|s| s.contains(span)).min_by_key(|s| s.len()).copied()
    }

    /// Calls whose argument list contains `span`, innermost first.
    pub fn calls_around(&self, span: Span) -> Vec<CallId> {
        let mut ids: Vec<CallId> =
            (0..self.calls.len()).filter(|&id| self.calls[id].args_span.contains(span)).collect();
        ids.sort_by_key(|&id| self.calls[id].args_span.len());
        ids
    }

    /// Every value nested in `value` (itself included), depth first.
    pub fn walk_values<'a>(&'a self, value: &'a Value, visit: &mut dyn FnMut(&'a Value)) {
        let mut stack = vec![value];
        let mut steps = 0;
        while let Some(v) = stack.pop() {
            steps += 1;
            if steps > 10_000 {
                break;
            }
            visit(v);
            match v {
                Value::Object(id) => stack.extend(self.objects[*id].entries.iter().map(|e| &e.value)),
                Value::Array(items, _) => stack.extend(items.iter()),
                Value::Call(id) => stack.extend(self.calls[*id].args.iter().map(|a| &a.value)),
                Value::String(id) => stack.extend(self.strings[*id].holes()),
                Value::Expr(_) | Value::Other(_) => {}
            }
        }
    }

    /// Constructors used in the file: `new X(...)` callees.
    pub fn constructs(&self, class: &str) -> bool {
        self.calls.iter().any(|c| c.is_new && c.callee_ends_with(class))
            || self
                .calls
                .iter()
                .any(|c| !c.is_new && c.callee_ends_with(class) && class.starts_with(char::is_uppercase))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_split_outside_parentheses() {
        assert_eq!(
            split_path("lock.getClient().getDelegationToken"),
            vec!["lock", "getClient()", "getDelegationToken"]
        );
        assert_eq!(split_path("a(b.c).d"), vec!["a(b.c)", "d"]);
    }

    #[test]
    fn literal_slices_keep_their_source_positions() {
        // source at 10: a\/b\/c  decodes to a/b/c
        let lit = Literal {
            text: "a/b/c".into(),
            span: Span::new(10, 17),
            map: vec![(1, 11), (2, 13), (3, 14), (4, 16)],
            site: None,
            quoting: Quoting::Quoted('"'),
        };
        let tail = lit.slice(2, 5);
        assert_eq!(tail.text, "b/c");
        assert_eq!(tail.span, Span::new(13, 17));
        assert_eq!(tail.source_offset(0), 13);
        assert_eq!(tail.source_offset(2), 16);
        assert_eq!(tail.source_span(2, 3), Span::new(16, 17));
    }

    #[test]
    fn literal_maps_text_offsets_through_escapes() {
        // source: a\/b  (5 bytes) decodes to a/b
        let lit = Literal {
            text: "a/b".into(),
            span: Span::new(10, 15),
            map: vec![(1, 11), (2, 14)],
            site: None,
            quoting: Quoting::Quoted('"'),
        };
        assert_eq!(lit.source_offset(0), 10);
        assert_eq!(lit.source_offset(1), 11);
        assert_eq!(lit.source_offset(2), 14);
        assert_eq!(lit.source_offset(3), 15);
        assert_eq!(lit.source_span(1, 2), Span::new(11, 14));
        assert!(!lit.is_verbatim(1, 2));
        assert!(lit.is_verbatim(2, 3));
    }
}

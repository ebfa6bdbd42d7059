//! Lowering from a tree-sitter syntax tree to the model, driven by a query.
//!
//! Each language supplies a grammar, a query whose captures use the shared names listed
//! in `queries/javascript.scm`, and its quoting rules. This module runs the query once,
//! records which role each node plays, and builds the model from those roles, so that
//! no language needs its own tree walk.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use streaming_iterator::StreamingIterator;
use tree_sitter::{Node, Parser, Query, QueryCursor, Tree};

use crate::model::{
    Access, Arg, Assignment, Binding, Call, Comparison, Deletion, Entry, Expr, FileModel, Function, Literal, Name,
    ObjectKind, ObjectLiteral, Param, Part, Quoting, Segment, Statement, StatementKind, StringValue, Value,
};
use crate::source::Span;

/// How long one file may take to parse before it is given up on.
const PARSE_BUDGET: Duration = Duration::from_secs(5);
/// How deeply values may nest before the rest is treated as opaque.
const MAX_DEPTH: usize = 96;
/// Longest expression text kept on an [`Expr`].
const MAX_EXPR_TEXT: usize = 240;

/// Everything the engine needs to know about one language.
pub struct Grammar {
    pub language: tree_sitter::Language,
    pub query: Query,
    /// Decodes one escape sequence (`\n`, `\u0041`, ...) to its text.
    pub unescape: fn(&str) -> Option<String>,
    /// The placeholders of the language's format calls (`%s`, `{}`), if it has any.
    pub placeholder: Option<regex::Regex>,
    /// Facts a query cannot express (a curl command's flags), added after the query's.
    pub extra: Option<Extra>,
    /// How the language writes a key and its value (`: ` in JavaScript), for fixes that
    /// must spell out an entry no sibling shows (`{ connection }` → `{ realm: connection }`).
    pub pair_separator: Option<&'static str>,
    /// How the language reads an environment variable, as a template in which `{name}`
    /// stands for the variable's name (`process.env.{name}` in JavaScript), for fixes
    /// that move a hard-coded value to the environment.
    pub env_lookup: Option<&'static str>,
    /// How the language joins two strings (` + ` in JavaScript), for fixes that build a
    /// new string from an expression the code already has.
    pub concatenation: Option<&'static str>,
}

/// A language's own lowering pass, run after the query-driven one on the same tree.
pub type Extra = fn(&Tree, &str, &mut FileModel);

/// `printf`-style placeholders: `%s`, `%-10.2f`, `%v`, `%%`.
pub const PRINTF: &str = r"%(?:\([A-Za-z_]\w*\))?[-+# 0,']*(?:\d+|\*)?(?:\.(?:\d+|\*))?[A-Za-z%]";
/// Brace placeholders: `{}`, `{0}`, `{name}`, `{0:>8}`, and the escapes `{{` `}}`.
pub const BRACES: &str = r"\{\{|\}\}|\{[A-Za-z_0-9]*(?::[^{}]*)?\}";

impl Grammar {
    /// A grammar with its facts query; panics when the query does not compile, a defect
    /// the unit tests of each language catch.
    pub fn new(
        language: tree_sitter::Language,
        query: &str,
        unescape: fn(&str) -> Option<String>,
        placeholder: Option<&str>,
    ) -> Grammar {
        let query = Query::new(&language, query).unwrap_or_else(|e| panic!("facts query does not compile: {e}"));
        let placeholder = placeholder.map(|p| regex::Regex::new(p).expect("placeholder pattern"));
        Grammar {
            language,
            query,
            unescape,
            placeholder,
            extra: None,
            pair_separator: None,
            env_lookup: None,
            concatenation: None,
        }
    }

    /// The same grammar with its key/value separator.
    pub fn with_pair_separator(mut self, separator: &'static str) -> Grammar {
        self.pair_separator = Some(separator);
        self
    }

    /// The same grammar with its string concatenation operator (` + `).
    pub fn with_concatenation(mut self, operator: &'static str) -> Grammar {
        self.concatenation = Some(operator);
        self
    }

    /// The same grammar with its environment-variable lookup (`process.env.{name}`).
    pub fn with_env_lookup(mut self, template: &'static str) -> Grammar {
        self.env_lookup = Some(template);
        self
    }

    /// The same grammar with a language-specific lowering pass.
    pub fn with_extra(mut self, extra: Extra) -> Grammar {
        self.extra = Some(extra);
        self
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    String,
    Content,
    Escape,
    Interpolation,
    Concat,
    Format,
    Object,
    Shorthand,
    Array,
    Call,
    New,
    Unwrap,
    Comment,
    Scope,
}

fn role_of(capture: &str) -> Option<Role> {
    Some(match capture {
        "string" => Role::String,
        "string.content" => Role::Content,
        "string.escape" => Role::Escape,
        "string.interpolation" => Role::Interpolation,
        "concat" => Role::Concat,
        "format" => Role::Format,
        "object" => Role::Object,
        "object.shorthand" => Role::Shorthand,
        "array" => Role::Array,
        "call" => Role::Call,
        "call.new" => Role::New,
        "unwrap" => Role::Unwrap,
        "comment" => Role::Comment,
        "scope" => Role::Scope,
        _ => return None,
    })
}

#[derive(Debug)]
pub enum ParseError {
    TimedOut,
    Failed,
}

pub fn parse(grammar: &Grammar, text: &str) -> Result<Tree, ParseError> {
    parse_ranges(grammar, text, &[])
}

/// Parses only the given byte ranges of `text` (a script in an HTML page, a fenced block
/// in Markdown); positions stay those of the whole text. No ranges: the whole text.
pub fn parse_ranges(grammar: &Grammar, text: &str, ranges: &[std::ops::Range<usize>]) -> Result<Tree, ParseError> {
    let mut parser = Parser::new();
    parser.set_language(&grammar.language).map_err(|_| ParseError::Failed)?;
    if !ranges.is_empty() {
        let index = crate::source::LineIndex::new(text);
        let point = |offset: usize| {
            let line = index.line_of(offset);
            tree_sitter::Point { row: line, column: offset - index.line_start(line) }
        };
        let ranges: Vec<tree_sitter::Range> = ranges
            .iter()
            .map(|r| tree_sitter::Range {
                start_byte: r.start,
                end_byte: r.end,
                start_point: point(r.start),
                end_point: point(r.end),
            })
            .collect();
        parser.set_included_ranges(&ranges).map_err(|_| ParseError::Failed)?;
    }
    let started = Instant::now();
    let mut timed_out = false;
    let mut progress = |_: &tree_sitter::ParseState| {
        timed_out = started.elapsed() > PARSE_BUDGET;
        timed_out
    };
    let options = tree_sitter::ParseOptions::new().progress_callback(&mut progress);
    let bytes = text.as_bytes();
    let tree = parser.parse_with_options(
        &mut |offset, _| {
            if offset < bytes.len() {
                &bytes[offset..]
            } else {
                &[] as &[u8]
            }
        },
        None,
        Some(options),
    );
    match tree {
        Some(tree) => Ok(tree),
        None if timed_out => Err(ParseError::TimedOut),
        None => Err(ParseError::Failed),
    }
}

/// The nodes of a kind under `root`, in document order, without looking inside them.
pub fn find_nodes<'t>(root: Node<'t>, kind: &str) -> Vec<Node<'t>> {
    let mut found = Vec::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.kind() == kind {
            found.push(node);
            continue;
        }
        let mut cursor = node.walk();
        let children: Vec<Node> = node.named_children(&mut cursor).collect();
        stack.extend(children.into_iter().rev());
    }
    found
}

/// Number of ERROR and MISSING nodes in the tree.
pub fn count_errors(tree: &Tree) -> usize {
    error_spans(tree, usize::MAX).len()
}

/// The spans of the first `limit` ERROR and MISSING nodes.
pub fn error_spans(tree: &Tree, limit: usize) -> Vec<Span> {
    let mut spans = Vec::new();
    if !tree.root_node().has_error() {
        return spans;
    }
    let mut cursor = tree.walk();
    'walk: loop {
        let node = cursor.node();
        if node.is_error() || node.is_missing() {
            spans.push(span(node));
            if spans.len() >= limit {
                break 'walk;
            }
        }
        if node.has_error() && !node.is_error() && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                continue 'walk;
            }
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    spans
}

/// Every node under `root` (itself included), in document order, without recursion (deep
/// trees do not overflow the stack).
pub(super) fn descendants(root: Node) -> Vec<Node> {
    let mut out = Vec::new();
    let mut cursor = root.walk();
    'walk: loop {
        out.push(cursor.node());
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                continue 'walk;
            }
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    out
}

pub fn lower(grammar: &Grammar, tree: &Tree, text: &str) -> FileModel {
    let mut model = FileModel::default();
    lower_into(grammar, tree, text, &mut model);
    model
}

/// Lowers a tree into an existing model, after what it already holds (the regions of a
/// file in several languages).
pub fn lower_into(grammar: &Grammar, tree: &Tree, text: &str, model: &mut FileModel) {
    let mut lowering = Lowering::new(grammar, text);
    lowering.model = std::mem::take(model);
    lowering.collect(tree.root_node());
    lowering.build();
    lowering.build_code();
    *model = lowering.model;
    if let Some(separator) = grammar.pair_separator {
        model.pair_separator = Some(separator);
    }
    if let Some(template) = grammar.env_lookup {
        model.env_lookup = Some(template);
    }
    if let Some(operator) = grammar.concatenation {
        model.concatenation = Some(operator);
    }
    if let Some(extra) = grammar.extra {
        extra(tree, text, model);
    }
    model.syntax_errors.extend(error_spans(tree, 100));
}

struct Lowering<'t> {
    grammar: &'t Grammar,
    text: &'t str,
    roles: HashMap<usize, Role>,
    entries: HashMap<usize, (Node<'t>, Node<'t>)>,
    calls: HashMap<usize, (Node<'t>, Node<'t>)>,
    /// Labeled arguments: the argument node → its label and value.
    labeled: HashMap<usize, (Node<'t>, Node<'t>)>,
    /// Format expressions → the template, and the node holding the arguments (or the
    /// single argument) when the query names it.
    formats: HashMap<usize, (Node<'t>, Option<Node<'t>>, Option<Node<'t>>)>,
    templates: std::collections::HashSet<usize>,
    /// Nodes lowered as part of an enclosing concatenation.
    operands: std::collections::HashSet<usize>,
    bindings: Vec<(Node<'t>, Node<'t>, Node<'t>)>,
    nodes: Vec<(Node<'t>, Role)>,
    memo: HashMap<usize, Value>,
    model: FileModel,
    /// The code facts (functions, member chains, names, statements, ...), collected
    /// apart from the value roles above so that they never change how values lower.
    code: CodeCaptures<'t>,
}

/// What the query captured for the code facts, by capture name.
#[derive(Default)]
struct CodeCaptures<'t> {
    seen: std::collections::HashSet<(&'static str, usize)>,
    /// Function → its name, parameter list and body.
    functions: Vec<(Node<'t>, Option<Node<'t>>, Node<'t>, Node<'t>)>,
    params: std::collections::HashSet<usize>,
    param_names: std::collections::HashSet<usize>,
    /// Access → its object, and its property or index (true when computed).
    accesses: HashMap<usize, (Node<'t>, Node<'t>, Node<'t>, bool)>,
    access_order: Vec<usize>,
    names: Vec<Node<'t>>,
    name_ids: std::collections::HashSet<usize>,
    declarations: Vec<Node<'t>>,
    declaration_ids: std::collections::HashSet<usize>,
    assignments: Vec<(Node<'t>, Node<'t>, Node<'t>)>,
    deletions: Vec<(Node<'t>, Node<'t>)>,
    comparisons: Vec<(Node<'t>, Node<'t>, Node<'t>, bool)>,
    /// Statement → its kind (`expression`, `return`, `declaration`, `branch`, `other`).
    statements: Vec<(Node<'t>, &'static str)>,
    branches: HashMap<usize, (Node<'t>, Node<'t>, Option<Node<'t>>)>,
}

impl<'t> CodeCaptures<'t> {
    /// True the first time a node is seen under a capture name.
    fn first(&mut self, capture: &'static str, node: Node) -> bool {
        self.seen.insert((capture, node.id()))
    }

    fn add(&mut self, parts: &HashMap<&str, Node<'t>>) {
        if let (Some(&function), Some(&params), Some(&body)) =
            (parts.get("function"), parts.get("function.params"), parts.get("function.body"))
        {
            if self.first("function", function) {
                self.functions.push((function, parts.get("function.name").copied(), params, body));
            }
        }
        if let Some(&param) = parts.get("param") {
            self.params.insert(param.id());
        }
        if let Some(&name) = parts.get("param.name") {
            self.param_names.insert(name.id());
            if self.first("declaration", name) {
                self.declarations.push(name);
                self.declaration_ids.insert(name.id());
            }
        }
        if let (Some(&access), Some(&object)) = (parts.get("access"), parts.get("access.object")) {
            let step =
                parts.get("access.property").map(|&n| (n, false)).or(parts.get("access.index").map(|&n| (n, true)));
            if let Some((step, computed)) = step {
                if self.first("access", access) {
                    self.accesses.insert(access.id(), (access, object, step, computed));
                    self.access_order.push(access.id());
                }
            }
        }
        if let Some(&name) = parts.get("name") {
            if self.first("name", name) {
                self.names.push(name);
                self.name_ids.insert(name.id());
            }
        }
        if let Some(&name) = parts.get("declaration") {
            if self.first("declaration", name) {
                self.declarations.push(name);
                self.declaration_ids.insert(name.id());
            }
        }
        if let (Some(&assign), Some(&target), Some(&value)) =
            (parts.get("assign"), parts.get("assign.target"), parts.get("assign.value"))
        {
            if self.first("assign", assign) {
                self.assignments.push((assign, target, value));
            }
        }
        if let (Some(&deletion), Some(&target)) = (parts.get("delete"), parts.get("delete.target")) {
            if self.first("delete", deletion) {
                self.deletions.push((deletion, target));
            }
        }
        for (capture, negated) in [("compare", false), ("compare.not", true)] {
            if let (Some(&compare), Some(&left), Some(&right)) =
                (parts.get(capture), parts.get("compare.left"), parts.get("compare.right"))
            {
                if self.first("compare", compare) {
                    self.comparisons.push((compare, left, right, negated));
                }
            }
        }
        for (capture, kind) in [
            ("statement.expression", "expression"),
            ("statement.return", "return"),
            ("statement.throw", "throw"),
            ("statement.declaration", "declaration"),
            ("statement.branch", "branch"),
            ("statement", "other"),
        ] {
            if let Some(&statement) = parts.get(capture) {
                if kind == "branch" {
                    let (Some(&condition), Some(&then)) = (parts.get("branch.condition"), parts.get("branch.then"))
                    else {
                        continue;
                    };
                    self.branches.insert(statement.id(), (condition, then, parts.get("branch.else").copied()));
                }
                if self.first("statement", statement) {
                    self.statements.push((statement, kind));
                }
            }
        }
    }
}

impl<'t> Lowering<'t> {
    fn new(grammar: &'t Grammar, text: &'t str) -> Self {
        Lowering {
            grammar,
            text,
            roles: HashMap::new(),
            entries: HashMap::new(),
            calls: HashMap::new(),
            labeled: HashMap::new(),
            formats: HashMap::new(),
            templates: std::collections::HashSet::new(),
            operands: std::collections::HashSet::new(),
            bindings: Vec::new(),
            nodes: Vec::new(),
            memo: HashMap::new(),
            model: FileModel::default(),
            code: CodeCaptures::default(),
        }
    }

    fn collect(&mut self, root: Node<'t>) {
        let names = self.grammar.query.capture_names();
        let mut cursor = QueryCursor::new();
        let mut matches = cursor.matches(&self.grammar.query, root, self.text.as_bytes());
        while let Some(m) = matches.next() {
            let mut parts: HashMap<&str, Node<'t>> = HashMap::new();
            for capture in m.captures {
                parts.insert(names[capture.index as usize], capture.node);
            }
            if let (Some(entry), Some(key), Some(value)) =
                (parts.get("object.entry"), parts.get("object.key"), parts.get("object.value"))
            {
                self.entries.insert(entry.id(), (*key, *value));
            }
            if let (Some(callee), Some(args)) = (parts.get("call.callee"), parts.get("call.args")) {
                if let Some(call) = parts.get("call").or(parts.get("call.new")) {
                    self.calls.insert(call.id(), (*callee, *args));
                }
            }
            if let (Some(arg), Some(label), Some(value)) =
                (parts.get("arg"), parts.get("arg.label"), parts.get("arg.value"))
            {
                self.labeled.insert(arg.id(), (*label, *value));
            }
            if let (Some(format), Some(template)) = (parts.get("format"), parts.get("format.template")) {
                if let std::collections::hash_map::Entry::Vacant(slot) = self.formats.entry(format.id()) {
                    slot.insert((*template, parts.get("format.args").copied(), parts.get("format.arg").copied()));
                    self.templates.insert(template.id());
                }
            }
            if let (Some(binding), Some(name), Some(value)) =
                (parts.get("binding"), parts.get("binding.name"), parts.get("binding.value"))
            {
                self.bindings.push((*binding, *name, *value));
            }
            if let Some(node) = parts.get("constant") {
                self.model.constant_contexts.push(span(*node));
            }
            self.code.add(&parts);
            for (name, node) in parts {
                if let Some(role) = role_of(name) {
                    if self.roles.insert(node.id(), role).is_none() {
                        self.nodes.push((node, role));
                    }
                }
            }
        }
        self.nodes.sort_by_key(|(n, _)| (n.start_byte(), std::cmp::Reverse(n.end_byte())));
    }

    fn build(&mut self) {
        let nodes = std::mem::take(&mut self.nodes);
        self.mark_operands(&nodes);
        for &(node, role) in &nodes {
            match role {
                Role::Comment => self.model.comments.push(span(node)),
                Role::Scope => self.model.scopes.push(span(node)),
                Role::Call | Role::New | Role::Object => {
                    self.value(node, 0);
                }
                Role::String | Role::Concat | Role::Format if !self.inside_string(node) => {
                    self.value(node, 0);
                }
                _ => {}
            }
        }
        for (binding, name, value) in std::mem::take(&mut self.bindings) {
            let value = self.value(value, 0);
            self.model.bindings.push(Binding { name: compact(self.node_text(name)), value, span: span(binding) });
        }
    }

    /// Builds the code facts from their captures.
    fn build_code(&mut self) {
        let code = std::mem::take(&mut self.code);
        let text = self.text;
        let node_text = |n: Node| &text[n.byte_range()];
        // The first named child that is not a comment: a statement's expression or value.
        let first_value = |n: Node<'t>| first_named(n);

        let mut functions = Vec::new();
        for &(function, name, params, body) in &code.functions {
            let params_list = if code.param_names.contains(&params.id()) {
                vec![Param { name: Some(node_text(params).to_string()), span: span(params) }]
            } else {
                named_children(params)
                    .into_iter()
                    .filter(|p| !p.is_extra() && code.params.contains(&p.id()))
                    .map(|p| {
                        let named = if code.param_names.contains(&p.id()) {
                            Some(p)
                        } else {
                            named_children(p).into_iter().find(|c| code.param_names.contains(&c.id()))
                        };
                        Param { name: named.map(|n| node_text(n).to_string()), span: span(p) }
                    })
                    .collect()
            };
            functions.push(Function {
                span: span(function),
                name: name.map(|n| node_text(n).to_string()),
                params: params_list,
                params_span: span(params),
                body: span(body),
                expression_body: self.roles.get(&body.id()) != Some(&Role::Scope),
            });
        }
        functions.sort_by_key(|f| (f.span.start, std::cmp::Reverse(f.span.end)));
        self.model.functions.extend(functions);

        // Whole chains: the accesses that are not the object of another access.
        let objects: std::collections::HashSet<usize> = code.accesses.values().map(|(_, o, _, _)| o.id()).collect();
        let mut accesses = Vec::new();
        for id in &code.access_order {
            if objects.contains(id) {
                continue;
            }
            let mut segments = Vec::new();
            let mut current = code.accesses[id];
            let root = loop {
                let (access, object, step, computed) = current;
                segments.push(Segment {
                    name: (!computed).then(|| node_text(step).to_string()),
                    span: span(step),
                    end: access.end_byte(),
                });
                match code.accesses.get(&object.id()) {
                    Some(inner) if segments.len() < MAX_DEPTH => current = *inner,
                    _ => break object,
                }
            };
            segments.reverse();
            let (outer, ..) = code.accesses[id];
            let raw = node_text(root);
            accesses.push(Access {
                span: span(outer),
                root: if raw.len() > MAX_EXPR_TEXT { String::new() } else { compact(raw) },
                root_span: span(root),
                root_is_name: code.name_ids.contains(&root.id()),
                segments,
            });
        }
        accesses.sort_by_key(|a| a.span.start);
        self.model.accesses.extend(accesses);

        let mut names: Vec<Name> = code
            .names
            .iter()
            .filter(|n| !code.declaration_ids.contains(&n.id()))
            .map(|&n| Name { text: node_text(n).to_string(), span: span(n) })
            .collect();
        names.sort_by_key(|n| n.span.start);
        self.model.names.extend(names);
        let mut declarations: Vec<Name> =
            code.declarations.iter().map(|&n| Name { text: node_text(n).to_string(), span: span(n) }).collect();
        declarations.sort_by_key(|n| n.span.start);
        self.model.declarations.extend(declarations);

        for &(assign, target, value) in &code.assignments {
            let between = &text[target.end_byte()..value.start_byte()];
            let operator = between.trim().to_string();
            self.model.assignments.push(Assignment {
                span: span(assign),
                target: span(target),
                operator,
                value: span(value),
            });
        }
        self.model.assignments.sort_by_key(|a| a.span.start);
        for &(deletion, target) in &code.deletions {
            self.model.deletions.push(Deletion { span: span(deletion), target: span(target) });
        }
        self.model.deletions.sort_by_key(|d| d.span.start);
        for &(compare, left, right, negated) in &code.comparisons {
            self.model.comparisons.push(Comparison {
                span: span(compare),
                left: span(left),
                right: span(right),
                negated,
            });
        }
        self.model.comparisons.sort_by_key(|c| c.span.start);

        let mut statements = Vec::new();
        for &(statement, kind) in &code.statements {
            let kind = match kind {
                "expression" => match first_value(statement) {
                    Some(value) => StatementKind::Expression(span(value)),
                    None => StatementKind::Other,
                },
                "return" => StatementKind::Return(first_value(statement).map(span)),
                "throw" => StatementKind::Throw(first_value(statement).map(span)),
                "declaration" => StatementKind::Declaration,
                "branch" => match code.branches.get(&statement.id()) {
                    Some(&(condition, then, otherwise)) => StatementKind::Branch {
                        condition: span(condition),
                        then: span(then),
                        otherwise: otherwise.and_then(first_value).map(span),
                    },
                    None => StatementKind::Other,
                },
                _ => StatementKind::Other,
            };
            statements.push(Statement { span: span(statement), kind });
        }
        statements.sort_by_key(|s| (s.span.start, std::cmp::Reverse(s.span.end)));
        self.model.statements.extend(statements);
    }

    /// True when the node is an operand of a concatenation (through wrappers) or the
    /// template of a format, which lowers it as part of the enclosing string.
    fn inside_string(&self, node: Node) -> bool {
        self.templates.contains(&node.id()) || self.operands.contains(&node.id())
    }

    /// Marks the operands of every concatenation, looking through wrappers. Computed once:
    /// asking each node for its parent walks from the root every time.
    fn mark_operands(&mut self, nodes: &[(Node<'t>, Role)]) {
        for &(node, role) in nodes {
            if role != Role::Concat {
                continue;
            }
            let mut stack: Vec<Node> = named_children(node);
            while let Some(child) = stack.pop() {
                self.operands.insert(child.id());
                if self.roles.get(&child.id()) == Some(&Role::Unwrap) {
                    stack.extend(named_children(child));
                }
            }
        }
    }

    fn node_text(&self, node: Node) -> &'t str {
        &self.text[node.byte_range()]
    }

    fn value(&mut self, node: Node<'t>, depth: usize) -> Value {
        if let Some(value) = self.memo.get(&node.id()) {
            return value.clone();
        }
        let value = if depth > MAX_DEPTH { self.expr(node) } else { self.lower_value(node, depth) };
        self.memo.insert(node.id(), value.clone());
        value
    }

    fn lower_value(&mut self, node: Node<'t>, depth: usize) -> Value {
        match self.roles.get(&node.id()).copied() {
            Some(Role::Unwrap) => match first_named(node) {
                Some(inner) => self.value(inner, depth + 1),
                None => self.expr(node),
            },
            Some(Role::String) | Some(Role::Concat) | Some(Role::Format) => match self.string(node, depth) {
                Some(string) => {
                    self.model.strings.push(string);
                    Value::String(self.model.strings.len() - 1)
                }
                None => self.expr(node),
            },
            Some(Role::Object) => self.object(node, depth),
            Some(Role::Array) => {
                let items = named_children(node)
                    .into_iter()
                    .filter(|c| !c.is_extra())
                    .map(|c| self.value(c, depth + 1))
                    .collect();
                Value::Array(items, span(node))
            }
            Some(Role::Call) | Some(Role::New) => self.call(node, depth),
            _ => self.expr(node),
        }
    }

    fn expr(&self, node: Node) -> Value {
        let raw = self.node_text(node);
        let text = if raw.len() > MAX_EXPR_TEXT { String::new() } else { compact(raw) };
        Value::Expr(Expr { span: span(node), text })
    }

    /// A string literal, template or concatenation as one value. `None` for a `+` that
    /// adds numbers.
    fn string(&mut self, node: Node<'t>, depth: usize) -> Option<StringValue> {
        let mut parts = Vec::new();
        // Flatten nested concatenations without recursion: `a + b + c + ...` nests left.
        let mut stack = vec![node];
        let mut operands = Vec::new();
        while let Some(n) = stack.pop() {
            if self.roles.get(&n.id()) == Some(&Role::Concat) && operands.len() < 10_000 {
                let children: Vec<Node> = named_children(n).into_iter().filter(|c| !c.is_extra()).collect();
                stack.extend(children.into_iter().rev());
            } else {
                operands.push(n);
            }
        }
        for operand in operands {
            let operand = self.unwrapped(operand);
            match self.roles.get(&operand.id()) {
                Some(Role::String) => self.literal_parts(operand, depth, &mut parts),
                Some(Role::Format) => self.format_parts(operand, depth, &mut parts),
                _ if is_number(operand.kind()) => return None,
                _ => {
                    let value = self.value(operand, depth + 1);
                    parts.push(Part::Hole(Box::new(value)));
                }
            }
        }
        Some(StringValue { span: span(node), parts, embedded: None, nested: false })
    }

    /// A format call or operator (`fmt.Sprintf("%s/oauth/ro", d)`, `"%s" % d`,
    /// `"{}".format(d)`) as one string: the template's text with each placeholder
    /// replaced by a hole holding its argument.
    fn format_parts(&mut self, node: Node<'t>, depth: usize, parts: &mut Vec<Part>) {
        let Some(&(template, container, single)) = self.formats.get(&node.id()) else {
            let value = self.expr(node);
            parts.push(Part::Hole(Box::new(value)));
            return;
        };
        let arg_nodes: Vec<Node> = match (container, single) {
            (Some(container), _) => {
                named_children(container).into_iter().filter(|c| !c.is_extra() && c.id() != template.id()).collect()
            }
            (None, Some(arg)) => vec![arg],
            (None, None) => {
                let mut siblings = Vec::new();
                let mut next = template.next_named_sibling();
                while let Some(n) = next {
                    if !n.is_extra() {
                        siblings.push(n);
                    }
                    next = n.next_named_sibling();
                }
                siblings
            }
        };
        let mut positional = Vec::new();
        let mut named = HashMap::new();
        for arg in arg_nodes {
            match self.labeled.get(&arg.id()).copied() {
                Some((label, value)) => {
                    let value = self.value(value, depth + 1);
                    named.insert(self.node_text(label).to_string(), value);
                }
                None => positional.push(self.value(arg, depth + 1)),
            }
        }
        let mut pieces = Vec::new();
        match self.roles.get(&template.id()) {
            Some(Role::String) => self.literal_parts(template, depth, &mut pieces),
            _ => match self.string(template, depth + 1) {
                Some(string) => pieces = string.parts,
                None => pieces.push(Part::Hole(Box::new(self.expr(template)))),
            },
        }
        let Some(placeholder) = &self.grammar.placeholder else {
            parts.extend(pieces);
            return;
        };
        let mut next = 0;
        for piece in pieces {
            let Part::Literal(lit) = piece else {
                parts.push(piece);
                continue;
            };
            let mut at = 0;
            for m in placeholder.find_iter(&lit.text) {
                let token = m.as_str();
                if matches!(token, "%%" | "{{" | "}}") {
                    parts.push(Part::Literal(through_escaped_pair(&lit, at, m.start())));
                    at = m.end();
                    continue;
                }
                if m.start() > at {
                    parts.push(Part::Literal(lit.slice(at, m.start())));
                }
                let inner = token.trim_start_matches(['{', '%', '(']).split([':', '}', ')']).next().unwrap_or("");
                let value = if let Ok(index) = inner.parse::<usize>() {
                    positional.get(index).cloned()
                } else if !inner.is_empty() && named.contains_key(inner) {
                    named.get(inner).cloned()
                } else {
                    next += 1;
                    positional.get(next - 1).cloned()
                };
                let span = lit.source_span(m.start(), m.end());
                parts.push(Part::Hole(Box::new(value.unwrap_or(Value::Expr(Expr { span, text: String::new() })))));
                at = m.end();
            }
            if at < lit.text.len() || at == 0 {
                parts.push(Part::Literal(if at == 0 { lit } else { lit.slice(at, lit.text.len()) }));
            }
        }
    }

    fn unwrapped(&self, mut node: Node<'t>) -> Node<'t> {
        while self.roles.get(&node.id()) == Some(&Role::Unwrap) {
            match first_named(node) {
                Some(inner) => node = inner,
                None => break,
            }
        }
        node
    }

    /// The pieces of one string literal or template.
    fn literal_parts(&mut self, node: Node<'t>, depth: usize, parts: &mut Vec<Part>) {
        let delimiter = self.node_text(node).chars().next().unwrap_or('"');
        let quoting = Quoting::Quoted(delimiter);
        let pieces: Vec<Node> = named_children(node)
            .into_iter()
            .filter(|c| matches!(self.roles.get(&c.id()), Some(Role::Content | Role::Escape | Role::Interpolation)))
            .collect();
        if pieces.is_empty() {
            let inner = inner_span(node, self.text);
            parts.push(Part::Literal(Literal::plain(self.text[inner.range()].to_string(), inner, quoting)));
            return;
        }
        let mut current: Option<Literal> = None;
        for piece in pieces {
            match self.roles[&piece.id()] {
                Role::Interpolation => {
                    if let Some(lit) = current.take() {
                        parts.push(Part::Literal(normalize_map(lit)));
                    }
                    let value = match first_named(piece) {
                        Some(inner) => self.value(inner, depth + 1),
                        None => self.expr(piece),
                    };
                    parts.push(Part::Hole(Box::new(value)));
                }
                role => {
                    let raw = self.node_text(piece);
                    let decoded = if role == Role::Escape {
                        (self.grammar.unescape)(raw).unwrap_or_else(|| raw.to_string())
                    } else {
                        raw.to_string()
                    };
                    let lit = current.get_or_insert_with(|| {
                        Literal::plain(String::new(), Span::new(piece.start_byte(), piece.start_byte()), quoting)
                    });
                    // Record where every piece starts; normalize_map drops what is implied.
                    lit.map.push((lit.text.len(), piece.start_byte()));
                    lit.text.push_str(&decoded);
                    lit.span.end = piece.end_byte();
                    if role == Role::Escape {
                        lit.map.push((lit.text.len(), piece.end_byte()));
                    }
                }
            }
        }
        if let Some(lit) = current {
            parts.push(Part::Literal(normalize_map(lit)));
        }
    }

    fn object(&mut self, node: Node<'t>, depth: usize) -> Value {
        let mut entries = Vec::new();
        for child in named_children(node) {
            if let Some(&(key, value)) = self.entries.get(&child.id()) {
                let Some((key_text, key_span)) = self.key(key) else {
                    continue;
                };
                let value = self.value(value, depth + 1);
                entries.push(Entry { key: key_text, key_span, value, span: span(child) });
            } else if self.roles.get(&child.id()) == Some(&Role::Shorthand) {
                let name = self.node_text(child).to_string();
                let value = Value::Expr(Expr { span: span(child), text: name.clone() });
                entries.push(Entry { key: name, key_span: span(child), value, span: span(child) });
            }
        }
        self.model.objects.push(ObjectLiteral { span: span(node), kind: ObjectKind::Literal, entries });
        Value::Object(self.model.objects.len() - 1)
    }

    /// A key's text and the span of that text (inside the quotes for a string key).
    fn key(&mut self, key: Node<'t>) -> Option<(String, Span)> {
        if self.roles.get(&key.id()) == Some(&Role::String) {
            let mut parts = Vec::new();
            self.literal_parts(key, MAX_DEPTH, &mut parts);
            return match parts.as_slice() {
                [Part::Literal(lit)] => Some((lit.text.clone(), lit.span)),
                _ => None,
            };
        }
        let text = self.node_text(key);
        text.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '$').then(|| (text.to_string(), span(key)))
    }

    fn call(&mut self, node: Node<'t>, depth: usize) -> Value {
        let Some(&(callee, args)) = self.calls.get(&node.id()) else {
            return self.expr(node);
        };
        let is_new = self.roles.get(&node.id()) == Some(&Role::New);
        let callee_text = callee_path(self.node_text(callee));
        let name = crate::model::split_path(&callee_text).last().copied().unwrap_or("").to_string();
        let callee_span = span(callee);
        let raw = self.node_text(callee).trim_end();
        let name_span = if raw.ends_with(&name) {
            Span::new(callee_span.start + raw.len() - name.len(), callee_span.start + raw.len())
        } else {
            callee_span
        };
        let receiver = first_named(callee)
            .filter(|n| matches!(self.roles.get(&n.id()), Some(Role::Call | Role::New)))
            .and_then(|n| match self.value(n, depth + 1) {
                Value::Call(id) => Some(id),
                _ => None,
            });
        // Reserve the id before lowering the arguments, so calls nested in them come later.
        let id = self.model.calls.len();
        self.model.calls.push(Call {
            span: span(node),
            callee: callee_text,
            name_span,
            is_new,
            args: Vec::new(),
            args_span: span(args),
            receiver,
            keywords: None,
        });
        self.memo.insert(node.id(), Value::Call(id));
        let mut lowered = Vec::new();
        let mut keywords = Vec::new();
        for arg in named_children(args) {
            if arg.is_extra() {
                continue;
            }
            if let Some(&(label, value)) = self.labeled.get(&arg.id()) {
                // `f(realm='x')`, `login(usernameOrEmail: u)`: a labeled argument.
                let value = self.value(value, depth + 1);
                let label_text = self.node_text(label).trim_end_matches(':').to_string();
                keywords.push(Entry {
                    key: label_text.clone(),
                    key_span: Span::new(label.start_byte(), label.start_byte() + label_text.len()),
                    value: value.clone(),
                    span: span(arg),
                });
                lowered.push(Arg { label: Some(label_text), value, span: span(arg) });
            } else if let Some(&(key, value)) = self.entries.get(&arg.id()) {
                // A hash written without braces as the last argument (`f(a: 1, b: 2)`).
                let Some((key_text, key_span)) = self.key(key) else {
                    continue;
                };
                let value = self.value(value, depth + 1);
                keywords.push(Entry { key: key_text.clone(), key_span, value: value.clone(), span: span(arg) });
                lowered.push(Arg { label: Some(key_text), value, span: span(arg) });
            } else {
                let value = self.value(arg, depth + 1);
                lowered.push(Arg { label: None, value, span: span(arg) });
            }
        }
        if !keywords.is_empty() {
            let first = keywords[0].span;
            let last = keywords[keywords.len() - 1].span;
            self.model.objects.push(ObjectLiteral {
                span: first.cover(last),
                kind: ObjectKind::Arguments,
                entries: keywords,
            });
            self.model.calls[id].keywords = Some(self.model.objects.len() - 1);
        }
        self.model.calls[id].args = lowered;
        Value::Call(id)
    }
}

/// Number literals, whose `+` is arithmetic.
fn is_number(kind: &str) -> bool {
    kind.contains("number")
        || kind.contains("integer")
        || kind.contains("float")
        || matches!(kind, "true" | "false" | "null" | "nil" | "none")
}

fn span(node: Node) -> Span {
    Span::new(node.start_byte(), node.end_byte())
}

fn named_children(node: Node) -> Vec<Node> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor).collect()
}

fn first_named(node: Node) -> Option<Node> {
    named_children(node).into_iter().find(|c| !c.is_extra())
}

/// The content of a string literal without its delimiters (`'...'`, `"..."`, `` `...` ``).
fn inner_span(node: Node, text: &str) -> Span {
    let raw = &text[node.byte_range()];
    let open = raw.find(['"', '\'', '`']).map_or(0, |i| i + 1);
    let close = raw.len().saturating_sub(raw.chars().next_back().map_or(0, |c| {
        if matches!(c, '"' | '\'' | '`') {
            c.len_utf8()
        } else {
            0
        }
    }));
    Span::new(node.start_byte() + open.min(close), node.start_byte() + close.max(open))
}

/// Keeps one map entry per text offset (the last) and drops the entries that the
/// previous one already implies.
fn normalize_map(mut lit: Literal) -> Literal {
    let start = lit.span.start;
    let mut unique: Vec<(usize, usize)> = Vec::with_capacity(lit.map.len());
    for entry in lit.map.drain(..) {
        match unique.last_mut() {
            Some(last) if last.0 == entry.0 => *last = entry,
            _ => unique.push(entry),
        }
    }
    let mut last_delta = 0isize;
    unique.retain(|&(t, s)| {
        let delta = s as isize - (start + t) as isize;
        let keep = delta != last_delta;
        last_delta = delta;
        keep
    });
    lit.map = unique;
    lit
}

/// Text with all whitespace removed, for paths and expression names.
pub fn compact(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A callee as a dotted path with every argument list emptied:
/// `lock.getClient(opts)\n  .getDelegationToken` → `lock.getClient().getDelegationToken`.
pub fn callee_path(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' => {
                if depth == 0 {
                    out.push('(');
                }
                depth += 1;
            }
            ')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    out.push(')');
                }
            }
            c if depth == 0 && !c.is_whitespace() && c != '?' => out.push(c),
            _ => {}
        }
    }
    out
}

/// The text of a format template from `at` through an escaped pair (`%%`, `{{`, `}}`) at
/// `pair`: the text keeps one character of the pair, whose source is both.
pub(super) fn through_escaped_pair(lit: &Literal, at: usize, pair: usize) -> Literal {
    let mut piece = lit.slice(at, pair + 1);
    piece.span.end = lit.source_offset(pair + 2);
    piece
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callee_paths_drop_arguments_and_optional_chaining() {
        assert_eq!(callee_path("lock.getClient({a: 1})\n  .getDelegationToken"), "lock.getClient().getDelegationToken");
        assert_eq!(callee_path("this?.auth0.oauth.signIn"), "this.auth0.oauth.signIn");
    }
}

//! Objective-C: the tree-sitter grammar, its facts query and its escape rules, and an
//! extra pass for what the query cannot express:
//!
//! - message sends: `[client loginWithUsername:u password:p success:^{...}]` has no
//!   argument-list node, so the pass lowers it to a call whose callee is
//!   `client.loginWithUsername` (the receiver, then the first selector part), whose first
//!   argument is unlabeled and whose other selector parts label their arguments;
//!   `[[A0APIClient sharedClient] fetch...]` is chained on the `sharedClient` call.
//!   Values the query lowered before the sends existed (a send inside a dictionary, a
//!   name bound to a send) are pointed at the lowered call;
//! - `#define NAME @"..."` constants, bound to their string;
//! - the body and headers set on a request after it is built
//!   (`[request setHTTPBody:...]`, `request.HTTPBody = ...`), see
//!   [`super::swift::attach_request_parts`].

use std::collections::HashMap;
use std::sync::OnceLock;

use tree_sitter::{Node, Tree};

use super::swift::span;
use super::treesitter::descendants;
use super::treesitter::{compact, Grammar};
use crate::model::{
    Arg, Binding, Call, Entry, Expr, FileModel, Literal, ObjectKind, ObjectLiteral, Part, Quoting, StringValue, Value,
};
use crate::source::Span;

/// How deeply message sends may nest before the rest is treated as opaque.
const MAX_DEPTH: usize = 64;
/// Longest expression text kept on an [`Expr`] (as the engine does).
const MAX_EXPR_TEXT: usize = 240;

pub(super) fn grammar() -> &'static Grammar {
    static GRAMMAR: OnceLock<Grammar> = OnceLock::new();
    GRAMMAR.get_or_init(|| {
        Grammar::new(
            tree_sitter_objc::LANGUAGE.into(),
            include_str!("queries/objc.scm"),
            super::escapes::c_like,
            Some(super::swift::FOUNDATION_FORMAT),
        )
        .with_extra(extra)
    })
}

fn extra(tree: &Tree, text: &str, model: &mut FileModel) {
    // An app's code: a public client. (No environment lookup is offered: apps have no
    // environment of their own, and `static NSString *const` initializers must be
    // compile-time constants.)
    model.client_side |= super::swift::is_app(text);
    let nodes = descendants(tree.root_node());
    let mut pass = Messages::new(text, model);
    // String building first, innermost first: `[a stringByAppendingString:b]`.
    let mut appends: Vec<Node> = nodes.iter().copied().filter(|n| is_append(*n, text)).collect();
    appends.sort_by_key(|n| n.end_byte() - n.start_byte());
    for node in appends {
        pass.append(node);
    }
    for &node in &nodes {
        match node.kind() {
            "message_expression" => {
                pass.value(node, 0);
            }
            "preproc_def" => pass.define(node),
            _ => {}
        }
    }
    // Wrappers around a send: `(NSString *)[x y]`, `([x y])`.
    for &node in &nodes {
        if matches!(node.kind(), "cast_expression" | "parenthesized_expression") {
            let inner = pass.unwrap(node);
            if inner.id() != node.id() {
                if let Some(value) = pass.lowered.get(&span(inner)).cloned() {
                    pass.lowered.insert(span(node), value);
                }
            }
        }
    }
    let lowered = std::mem::take(&mut pass.lowered);
    patch_model(model, &lowered);
    super::swift::unwrap_conversions(model);
    super::swift::attach_request_parts(model);
}

struct Messages<'a, 't> {
    text: &'t str,
    model: &'a mut FileModel,
    /// The values of what the query lowered, by span: strings, objects, calls.
    existing: HashMap<Span, Value>,
    /// The values of the sends lowered here (and of their wrappers), by span.
    lowered: HashMap<Span, Value>,
    memo: HashMap<usize, Value>,
}

impl<'a, 't> Messages<'a, 't> {
    fn new(text: &'t str, model: &'a mut FileModel) -> Self {
        let mut existing = HashMap::new();
        for (id, call) in model.calls.iter().enumerate() {
            existing.entry(call.span).or_insert(Value::Call(id));
        }
        for (id, object) in model.objects.iter().enumerate() {
            if object.kind == ObjectKind::Literal {
                existing.entry(object.span).or_insert(Value::Object(id));
            }
        }
        // A format send is a string, and wins over anything else at its span.
        for (id, string) in model.strings.iter().enumerate() {
            if !string.nested {
                existing.insert(string.span, Value::String(id));
            }
        }
        Messages { text, model, existing, lowered: HashMap::new(), memo: HashMap::new() }
    }

    fn unwrap<'n>(&self, mut node: Node<'n>) -> Node<'n> {
        loop {
            let inner = match node.kind() {
                "parenthesized_expression" | "at_expression" => named(node).first().copied(),
                "cast_expression" => node.child_by_field_name("value"),
                _ => None,
            };
            match inner {
                Some(inner) => node = inner,
                None => return node,
            }
        }
    }

    fn expr(&self, node: Node) -> Value {
        let raw = &self.text[node.byte_range()];
        Value::Expr(Expr {
            span: span(node),
            text: if raw.len() > MAX_EXPR_TEXT { String::new() } else { compact(raw).replace("->", ".") },
        })
    }

    /// The value of an expression: a send lowered here, else what the query lowered.
    fn value(&mut self, node: Node, depth: usize) -> Value {
        let node = self.unwrap(node);
        if let Some(value) = self.existing.get(&span(node)) {
            return value.clone();
        }
        match node.kind() {
            "message_expression" if depth < MAX_DEPTH => self.message(node, depth),
            "array_literal" if depth < MAX_DEPTH => {
                let items =
                    named(node).into_iter().filter(|c| !c.is_extra()).map(|c| self.value(c, depth + 1)).collect();
                Value::Array(items, span(node))
            }
            _ => self.expr(node),
        }
    }

    fn message(&mut self, node: Node, depth: usize) -> Value {
        if let Some(value) = self.memo.get(&node.id()) {
            return value.clone();
        }
        let Some(receiver) = node.child_by_field_name("receiver") else {
            return self.expr(node);
        };
        // The selector parts, each with the arguments that follow it.
        let mut parts: Vec<(Node, Vec<Node>)> = Vec::new();
        let mut cursor = node.walk();
        for (i, child) in node.children(&mut cursor).enumerate() {
            if !child.is_named() || child.is_extra() || child.id() == receiver.id() {
                continue;
            }
            if node.field_name_for_child(i as u32) == Some("method") {
                parts.push((child, Vec::new()));
            } else if let Some(last) = parts.last_mut() {
                last.1.push(child);
            }
        }
        let Some(&(first, _)) = parts.first() else {
            return self.expr(node);
        };
        let receiver_value = self.value(receiver, depth + 1);
        // `[@{...} mutableCopy]` is the dictionary it copies.
        if let [(selector, values)] = parts.as_slice() {
            let name = &self.text[selector.byte_range()];
            if values.is_empty() && matches!(name, "mutableCopy" | "copy") && !matches!(receiver_value, Value::Expr(_))
            {
                self.memo.insert(node.id(), receiver_value.clone());
                self.lowered.insert(span(node), receiver_value.clone());
                return receiver_value;
            }
        }
        // `[NSDictionary dictionaryWithObjectsAndKeys:v1, @"k1", v2, @"k2", nil]`.
        if let [(selector, values)] = parts.as_slice() {
            let name = &self.text[selector.byte_range()];
            if matches!(name, "dictionaryWithObjectsAndKeys" | "initWithObjectsAndKeys") {
                let value = self.objects_and_keys(node, values, depth);
                self.memo.insert(node.id(), value.clone());
                self.lowered.insert(span(node), value.clone());
                return value;
            }
        }
        let (receiver_path, receiver_call) = match &receiver_value {
            Value::Call(id) => (format!("{}()", self.model.calls[*id].callee), Some(*id)),
            _ => {
                let raw = &self.text[self.unwrap(receiver).byte_range()];
                (super::treesitter::callee_path(raw).replace("->", "."), None)
            }
        };
        let name = &self.text[first.byte_range()];
        let id = self.model.calls.len();
        self.model.calls.push(Call {
            span: span(node),
            callee: format!("{receiver_path}.{name}"),
            name_span: span(first),
            is_new: false,
            args: Vec::new(),
            args_span: Span::new(first.end_byte(), node.end_byte()),
            receiver: receiver_call,
            keywords: None,
        });
        self.memo.insert(node.id(), Value::Call(id));
        self.lowered.insert(span(node), Value::Call(id));
        let mut args = Vec::new();
        let mut keywords = Vec::new();
        for (index, (selector, values)) in parts.iter().enumerate() {
            for (n, value_node) in values.iter().enumerate() {
                let value = self.value(*value_node, depth + 1);
                if index > 0 && n == 0 {
                    let label = self.text[selector.byte_range()].to_string();
                    let arg_span = Span::new(selector.start_byte(), value_node.end_byte());
                    keywords.push(Entry {
                        key: label.clone(),
                        key_span: span(*selector),
                        value: value.clone(),
                        span: arg_span,
                    });
                    args.push(Arg { label: Some(label), value, span: arg_span });
                } else {
                    args.push(Arg { label: None, value, span: span(*value_node) });
                }
            }
        }
        if let (Some(first), Some(last)) = (keywords.first(), keywords.last()) {
            let object_span = first.span.cover(last.span);
            self.model.objects.push(ObjectLiteral {
                span: object_span,
                kind: ObjectKind::Arguments,
                entries: keywords,
            });
            self.model.calls[id].keywords = Some(self.model.objects.len() - 1);
        }
        self.model.calls[id].args = args;
        Value::Call(id)
    }

    /// The dictionary built from `value, key, value, key, ..., nil`: each entry spans its
    /// value and its key; keys are string literals.
    fn objects_and_keys(&mut self, node: Node, values: &[Node], depth: usize) -> Value {
        let items: Vec<Node> = values
            .iter()
            .copied()
            .filter(|n| !(n.kind() == "identifier" && &self.text[n.byte_range()] == "nil"))
            .collect();
        let mut entries = Vec::new();
        for pair in items.chunks(2) {
            let [value_node, key_node] = pair else {
                break;
            };
            let key = self.value(*key_node, depth + 1);
            let Some((text, key_span)) = self.model.string_of(&key).and_then(|s| match s.parts.as_slice() {
                [Part::Literal(lit)] => Some((lit.text.clone(), lit.span)),
                _ => None,
            }) else {
                continue;
            };
            let value = self.value(*value_node, depth + 1);
            entries.push(Entry {
                key: text,
                key_span,
                value,
                span: Span::new(value_node.start_byte(), key_node.end_byte()),
            });
        }
        self.model.objects.push(ObjectLiteral { span: span(node), kind: ObjectKind::Literal, entries });
        Value::Object(self.model.objects.len() - 1)
    }

    /// `[a stringByAppendingString:b]` is the string `a + b`, and
    /// `[a stringByAppendingFormat:f, ...]` is `a` followed by the format (which the
    /// query lowered on its own).
    fn append(&mut self, node: Node) {
        let Some(receiver) = node.child_by_field_name("receiver") else {
            return;
        };
        let front = self.value(receiver, 1);
        let mut parts = string_parts(self.model, &front);
        match self.existing.get(&span(node)) {
            Some(Value::String(id)) => {
                let id = *id;
                parts.append(&mut self.model.strings[id].parts);
                self.model.strings[id].parts = parts;
            }
            Some(_) => {}
            None => {
                let args: Vec<Node> =
                    named(node).into_iter().filter(|c| !c.is_extra() && c.id() != receiver.id()).skip(1).collect();
                let [arg] = args.as_slice() else {
                    return;
                };
                let back = self.value(*arg, 1);
                parts.extend(string_parts(self.model, &back));
                self.model.strings.push(StringValue { span: span(node), parts, embedded: None, nested: false });
                let value = Value::String(self.model.strings.len() - 1);
                self.existing.insert(span(node), value.clone());
                self.lowered.insert(span(node), value);
            }
        }
    }

    /// `#define NAME @"text"`: a constant bound to its string.
    fn define(&mut self, node: Node) {
        let (Some(name), Some(value)) = (node.child_by_field_name("name"), node.child_by_field_name("value")) else {
            return;
        };
        let Some(lit) = define_literal(self.text, span(value)) else {
            return;
        };
        self.model.strings.push(StringValue {
            span: span(value),
            parts: vec![Part::Literal(lit)],
            embedded: None,
            nested: false,
        });
        let id = self.model.strings.len() - 1;
        self.model.bindings.push(Binding {
            name: self.text[name.byte_range()].to_string(),
            value: Value::String(id),
            span: span(node),
        });
    }
}

/// The string of a `#define` body that is one `@"..."` (or `"..."`) literal, with its
/// escapes decoded and mapped back to the source.
fn define_literal(text: &str, body: Span) -> Option<Literal> {
    let raw = &text[body.range()];
    let trimmed = raw.trim();
    let lead = raw.len() - raw.trim_start().len();
    let open = if trimmed.starts_with("@\"") {
        2
    } else if trimmed.starts_with('"') {
        1
    } else {
        return None;
    };
    if trimmed.len() < open + 1 || !trimmed.ends_with('"') {
        return None;
    }
    let inner = &trimmed[open..trimmed.len() - 1];
    let start = body.start + lead + open;
    let mut lit = Literal::plain(String::new(), Span::new(start, start + inner.len()), Quoting::Quoted('"'));
    let mut chars = inner.char_indices().peekable();
    while let Some((i, ch)) = chars.next() {
        match ch {
            '"' => return None, // two literals, or something else
            '\\' => {
                let (j, next) = chars.next()?;
                let mut end = j + next.len_utf8();
                let (digit, max): (fn(&char) -> bool, usize) = match next {
                    'x' => (char::is_ascii_hexdigit as fn(&char) -> bool, 8),
                    'u' => (char::is_ascii_hexdigit, 4),
                    'U' => (char::is_ascii_hexdigit, 8),
                    '0'..='7' => (|c: &char| matches!(c, '0'..='7'), 2),
                    _ => (|_: &char| false, 0),
                };
                let mut taken = 0;
                while let Some(&(k, c)) = chars.peek() {
                    if taken == max || !digit(&c) {
                        break;
                    }
                    end = k + c.len_utf8();
                    taken += 1;
                    chars.next();
                }
                let decoded = super::escapes::c_like(&inner[i..end])?;
                lit.map.push((lit.text.len(), start + i));
                lit.text.push_str(&decoded);
                lit.map.push((lit.text.len(), start + end));
            }
            c => lit.text.push(c),
        }
    }
    // Keep only the entries the identity from the start does not imply.
    let mut kept: Vec<(usize, usize)> = Vec::new();
    for (t, s) in lit.map.drain(..) {
        let expected = kept.last().map_or(start + t, |&(pt, ps)| ps + (t - pt));
        if s != expected {
            kept.retain(|&(kt, _)| kt != t);
            kept.push((t, s));
        }
    }
    lit.map = kept;
    Some(lit)
}

/// `[a stringByAppendingString:b]` and `[a stringByAppendingFormat:...]`.
fn is_append(node: Node, text: &str) -> bool {
    node.kind() == "message_expression"
        && node
            .child_by_field_name("method")
            .is_some_and(|m| matches!(&text[m.byte_range()], "stringByAppendingString" | "stringByAppendingFormat"))
}

/// The parts a value contributes to a string built from it: a string's own parts, or
/// one hole.
fn string_parts(model: &FileModel, value: &Value) -> Vec<Part> {
    match value {
        Value::String(id) => model.strings[*id].parts.clone(),
        other => vec![Part::Hole(Box::new(other.clone()))],
    }
}

fn named(node: Node) -> Vec<Node> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor).collect()
}

/// Points every value the query left as an expression at the send lowered for its span.
fn patch_model(model: &mut FileModel, lowered: &HashMap<Span, Value>) {
    if lowered.is_empty() {
        return;
    }
    super::swift::for_each_value(model, |value| {
        if let Value::Expr(expr) = value {
            if let Some(found) = lowered.get(&expr.span) {
                *value = found.clone();
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Language;
    use crate::model::HOLE;

    fn lower(src: &str) -> FileModel {
        Language::ObjC.lower(src).unwrap()
    }

    #[test]
    fn query_compiles_and_headers_parse() {
        let src = "#import <Foundation/Foundation.h>\n@interface A0Client : NSObject\n- (void)loginWithUsername:(NSString *)username password:(NSString *)password;\n@end\n";
        let m = lower(src);
        assert!(m.syntax_errors.is_empty());
        assert!(m.calls.is_empty());
    }

    #[test]
    fn strings_escapes_and_adjacent_literals() {
        let src = r#"NSString *a = @"https:\/\/t.auth0.com/oauth/ro\n";
NSString *b = @"https://" "t.auth0.com" @"/oauth/ro";"#;
        let m = lower(src);
        let a = m.strings.iter().find(|s| s.text().ends_with("ro\n")).unwrap();
        assert_eq!(a.text(), "https://t.auth0.com/oauth/ro\n");
        let at = a.text().find("ro\n").unwrap();
        let (lit, x, y) = a.locate(at, at + 2).unwrap();
        assert_eq!(&src[lit.source_span(x, y).range()], "ro");
        assert!(m.strings.iter().any(|s| s.text() == "https://t.auth0.com/oauth/ro"));
    }

    #[test]
    fn format_sends_are_strings_with_holes() {
        let src = r#"@implementation A
- (void)f {
    NSString *auth = [NSString stringWithFormat:@"Bearer %@", self.idToken];
    NSString *url = [[NSString alloc] initWithFormat:@"https://%@/api/v2/users/%@", domain, userId];
}
@end"#;
        let m = lower(src);
        let auth = m.strings.iter().find(|s| s.text().starts_with("Bearer")).unwrap();
        assert_eq!(auth.text(), format!("Bearer {HOLE}"));
        let Value::Expr(hole) = auth.holes().next().unwrap() else { panic!() };
        assert_eq!(hole.text, "self.idToken");
        assert!(m.strings.iter().any(|s| s.text() == format!("https://{HOLE}/api/v2/users/{HOLE}")));
        let binding = m.bindings.iter().find(|b| b.name == "auth").unwrap();
        assert!(matches!(binding.value, Value::String(_)));
        assert_eq!(m.scopes.len(), 1);
    }

    #[test]
    fn dictionaries_with_objects_and_keys() {
        let src = r#"NSDictionary *params = [NSDictionary dictionaryWithObjectsAndKeys:
    @"password", @"grant_type",
    kConnection, @"connection",
    @"ipad", @"device", nil];"#;
        let m = lower(src);
        let binding = m.bindings.iter().find(|b| b.name == "params").unwrap();
        let Value::Object(id) = binding.value else { panic!("{:?}", binding.value) };
        let o = &m.objects[id];
        let keys: Vec<&str> = o.entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["grant_type", "connection", "device"]);
        assert_eq!(&src[o.entries[1].key_span.range()], "connection");
        assert_eq!(&src[o.entries[2].span.range()], r#"@"ipad", @"device""#);
        assert!(!m.calls.iter().any(|c| c.name() == "dictionaryWithObjectsAndKeys"));
    }

    #[test]
    fn dictionaries_have_keys_inside_quotes() {
        let src = r#"NSDictionary *params = [@{ @"grant_type": @"password", @"connection": kConnection,
                          @"device": @"my-device" } mutableCopy];"#;
        let m = lower(src);
        let o = &m.objects[0];
        let keys: Vec<&str> = o.entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["grant_type", "connection", "device"]);
        assert_eq!(&src[o.entries[1].key_span.range()], "connection");
        assert_eq!(&src[o.entries[2].span.range()], r#"@"device": @"my-device""#);
        assert!(matches!(m.bindings[0].value, Value::Object(0)));
    }

    #[test]
    fn message_sends_are_calls_with_labels() {
        let src = r#"@implementation A
- (void)login {
    [[A0APIClient sharedClient] loginWithUsername:self.user password:pass parameters:@{ @"scope": @"openid" } success:^(A0UserProfile *profile, A0Token *token) {
        NSLog(@"%@", token);
    } failure:^(NSError *error) {}];
    [self.client fetchDelegationTokenWithParameters:@{ @"api_type": @"firebase" } success:nil failure:nil];
}
@end"#;
        let m = lower(src);
        let login = m.calls.iter().find(|c| c.name() == "loginWithUsername").unwrap();
        assert_eq!(login.callee, "A0APIClient.sharedClient().loginWithUsername");
        assert_eq!(&src[login.name_span.range()], "loginWithUsername");
        let labels: Vec<Option<&str>> = login.args.iter().map(|a| a.label.as_deref()).collect();
        assert_eq!(labels, [None, Some("password"), Some("parameters"), Some("success"), Some("failure")]);
        assert!(matches!(login.args[2].value, Value::Object(_)));
        let receiver = login.receiver.expect("chained");
        assert_eq!(m.calls[receiver].callee, "A0APIClient.sharedClient");
        let keywords = &m.objects[login.keywords.unwrap()];
        assert_eq!(&src[keywords.entries[0].key_span.range()], "password");
        let delegation = m.calls.iter().find(|c| c.name() == "fetchDelegationTokenWithParameters").unwrap();
        assert_eq!(delegation.callee, "self.client.fetchDelegationTokenWithParameters");
        assert!(matches!(delegation.args[0].value, Value::Object(_)));
        // The block bodies are scopes, and so is the method body.
        assert_eq!(m.scopes.len(), 3);
        assert!(m.calls.iter().any(|c| c.callee == "NSLog"));
    }

    #[test]
    fn requests_carry_their_body_and_headers() {
        let src = r#"@implementation A
- (void)send {
    NSString *url = [NSString stringWithFormat:@"https://%@/oauth/ro", kAuth0Domain];
    NSMutableURLRequest *request = [NSMutableURLRequest requestWithURL:[NSURL URLWithString:url]];
    request.HTTPMethod = @"POST";
    [request setValue:[NSString stringWithFormat:@"Bearer %@", idToken] forHTTPHeaderField:@"Authorization"];
    NSDictionary *body = @{ @"grant_type": @"password", @"connection": @"db" };
    [request setHTTPBody:[NSJSONSerialization dataWithJSONObject:body options:0 error:nil]];
}
@end"#;
        let m = lower(src);
        let request = m.calls.iter().position(|c| c.callee == "NSMutableURLRequest.requestWithURL").unwrap();
        let reach = crate::rules::request::reach_of(&m, request);
        let reached: Vec<String> = reach.strings.iter().map(|&s| m.strings[s].text()).collect();
        assert!(reached.contains(&format!("https://{HOLE}/oauth/ro")), "{reached:?}");
        assert!(reached.contains(&format!("Bearer {HOLE}")), "{reached:?}");
        assert!(reach.objects.iter().any(|&o| m.objects[o].has("grant_type")));
    }

    #[test]
    fn defines_are_constants() {
        let src = "#define kAuth0Domain @\"tenant.auth0.com\"\n#define kROPath @\"/oauth/r\\x6f\"\nNSString *u = [NSString stringWithFormat:@\"https://%@%@\", kAuth0Domain, kROPath];\n";
        let m = lower(src);
        let u = m.strings.iter().find(|s| s.text().starts_with("https://")).unwrap();
        assert_eq!(u.text(), "https://tenant.auth0.com/oauth/ro");
        let at = u.text().find("/oauth").unwrap();
        let (lit, a, b) = u.locate(at, at + "/oauth/r".len()).unwrap();
        assert_eq!(&src[lit.source_span(a, b).range()], "/oauth/r");
        let (lit, a, b) = u.locate(at + 8, at + 9).unwrap();
        assert_eq!(&src[lit.source_span(a, b).range()], "\\x6f");
    }

    #[test]
    fn appended_strings_are_one_value() {
        let src = r#"NSString *a = [@"https://" stringByAppendingFormat:@"%@/delegation", kDomain];
NSString *b = [[base stringByAppendingString:@"/oauth"] stringByAppendingString:@"/ro"];
NSString *c = [@"Bearer " stringByAppendingString:self.idToken];"#;
        let m = lower(src);
        let texts: Vec<String> = m.strings.iter().map(|s| s.text()).collect();
        assert!(texts.contains(&format!("https://{HOLE}/delegation")), "{texts:?}");
        assert!(texts.contains(&format!("{HOLE}/oauth/ro")), "{texts:?}");
        assert!(texts.contains(&format!("Bearer {HOLE}")), "{texts:?}");
        let b = m.bindings.iter().find(|b| b.name == "b").unwrap();
        assert_eq!(m.string_of(&b.value).unwrap().text(), format!("{HOLE}/oauth/ro"));
        let s = m.string_of(&b.value).unwrap();
        let at = s.text().find("ro").unwrap();
        let (lit, x, y) = s.locate(at, at + 2).unwrap();
        assert_eq!(&src[lit.source_span(x, y).range()], "ro");
    }

    #[test]
    fn comments_are_comments() {
        let m = lower("// POST /oauth/ro\n/* block */\nint x = 1;\n");
        assert_eq!(m.comments.len(), 2);
    }
}

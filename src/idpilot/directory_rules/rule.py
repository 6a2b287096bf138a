"""The Entra dynamic membership rule language: tokenizer, parser, explainer, evaluator.

Grammar (Microsoft's "Dynamic membership rules for groups"):
    rule    := or
    or      := and (-or and)*
    and     := unary (-and unary)*
    unary   := -not unary | '(' rule ')' | clause
    clause  := property operator value
             | property -any|-all '(' inner ')'     e.g. user.assignedPlans -any (x -eq "y")
    value   := "string" | true | false | null | number | [ "a", "b" ]
Property names and operators are case-insensitive; string comparisons are too (as in Entra).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_OPERATORS = {
    "-eq": "equals", "-ne": "does not equal", "-startswith": "starts with",
    "-notstartswith": "does not start with", "-contains": "contains",
    "-notcontains": "does not contain", "-match": "matches the pattern",
    "-notmatch": "does not match the pattern", "-in": "is one of",
    "-notin": "is not one of", "-any": "has any value where", "-all": "has every value where",
    "-le": "is at most", "-ge": "is at least",
}  # fmt: skip
_TOKEN = re.compile(
    r"""\s*(?:
      (?P<lparen>\() | (?P<rparen>\)) | (?P<lbracket>\[) | (?P<rbracket>\]) | (?P<comma>,)
    | (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
    | (?P<op>-[A-Za-z]+)
    | (?P<word>[A-Za-z_][\w.]*|\d+(?:\.\d+)?)
    )""",
    re.X,
)
_PROPERTY_WORDS = {
    "user.department": "department", "user.accountenabled": "account enabled",
    "user.usertype": "user type", "user.jobtitle": "job title", "user.country": "country",
    "user.city": "city", "user.companyname": "company", "user.mail": "mail address",
    "user.userprincipalname": "sign-in name (UPN)", "user.displayname": "display name",
    "user.employeeid": "employee id", "user.usagelocation": "usage location",
    "user.officelocation": "office location", "user.objectid": "object id",
    "user.assignedplans": "assigned service plans", "user.proxyaddresses": "proxy addresses",
    "user.othermails": "other mail addresses", "user.memberof": "group memberships",
    "device.displayname": "device name", "device.deviceostype": "device OS",
}  # fmt: skip


class RuleError(ValueError):
    """A malformed rule, with the character position where it went wrong."""

    def __init__(self, message: str, rule: str, position: int) -> None:
        self.rule = rule
        self.position = position
        pointer = " " * position + "^"
        super().__init__(f"{message} at position {position}\n  {rule}\n  {pointer}")
        self.short = f"{message} at position {position}"


@dataclass(frozen=True)
class Clause:
    """`property operator value`; for -any/-all, `value` is the inner rule over `item`."""

    property: str
    operator: str
    value: Any
    text: str


@dataclass(frozen=True)
class Not:
    """`-not rule`."""

    operand: Any


@dataclass(frozen=True)
class Logical:
    """`a -and b -and c` or `a -or b`."""

    operator: str  # "-and" | "-or"
    operands: tuple[Any, ...]


@dataclass
class _Token:
    kind: str
    text: str
    position: int


def _tokenize(rule: str) -> list[_Token]:
    tokens, position = [], 0
    while position < len(rule):
        if rule[position:].strip() == "":
            break
        match = _TOKEN.match(rule, position)
        if not match or match.end() == position:
            start = position + len(rule[position:]) - len(rule[position:].lstrip())
            raise RuleError(f"unexpected character {rule[start]!r}", rule, start)
        kind = match.lastgroup or ""
        text = match.group(kind)
        tokens.append(_Token(kind, text, match.start(kind)))
        position = match.end()
    tokens.append(_Token("end", "", len(rule)))
    return tokens


class _Parser:
    def __init__(self, rule: str) -> None:
        self.rule = rule
        self.tokens = _tokenize(rule)
        self.index = 0

    def peek(self) -> _Token:
        return self.tokens[self.index]

    def take(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def fail(self, message: str, token: _Token | None = None) -> RuleError:
        token = token or self.peek()
        return RuleError(message, self.rule, token.position)

    def expect(self, kind: str, what: str) -> _Token:
        if self.peek().kind != kind:
            found = self.peek().text or "end of rule"
            raise self.fail(f"expected {what}, found {found!r}")
        return self.take()

    def parse(self) -> Any:
        if self.peek().kind == "end":
            raise self.fail("the rule is empty")
        node = self.parse_or()
        if self.peek().kind != "end":
            raise self.fail(f"unexpected {self.peek().text!r}")
        return node

    def at_logical(self, name: str) -> bool:
        """The next token is `-name` (or the bare word `name`, which Entra also accepts)."""
        token = self.peek()
        text = token.text.lower()
        return (token.kind == "op" and text == f"-{name}") or (
            token.kind == "word" and text == name
        )

    def parse_or(self) -> Any:
        operands = [self.parse_and()]
        while self.at_logical("or"):
            self.take()
            operands.append(self.parse_and())
        return operands[0] if len(operands) == 1 else Logical("-or", tuple(operands))

    def parse_and(self) -> Any:
        operands = [self.parse_unary()]
        while self.at_logical("and"):
            self.take()
            operands.append(self.parse_unary())
        return operands[0] if len(operands) == 1 else Logical("-and", tuple(operands))

    def parse_unary(self) -> Any:
        token = self.peek()
        if self.at_logical("not"):
            self.take()
            return Not(self.parse_unary())
        if token.kind == "lparen":
            self.take()
            node = self.parse_or()
            self.expect("rparen", "')'")
            return node
        return self.parse_clause()

    def parse_clause(self) -> Clause:
        start = self.peek()
        if start.kind != "word" or start.text[0].isdigit():
            found = start.text or "end of rule"
            raise self.fail(f"expected a property such as user.department, found {found!r}")
        self.take()
        op = self.peek()
        if op.kind != "op" or op.text.lower() not in _OPERATORS:
            found = op.text or "end of rule"
            raise self.fail(f"expected an operator (-eq, -ne, -contains, ...), found {found!r}")
        self.take()
        operator = op.text.lower()
        if operator in ("-any", "-all"):
            self.expect("lparen", "'(' after " + operator)
            inner = self.parse_or()
            self.expect("rparen", "')'")
            value: Any = inner
        elif operator in ("-in", "-notin"):
            value = self.parse_list()
        else:
            value = self.parse_value()
        end = self.tokens[self.index - 1]
        text = self.rule[start.position : end.position + len(end.text)]
        return Clause(start.text, operator, value, text)

    def parse_list(self) -> list[Any]:
        self.expect("lbracket", "'[' to start a list")
        values = []
        while self.peek().kind != "rbracket":
            values.append(self.parse_value())
            if self.peek().kind == "comma":
                self.take()
            elif self.peek().kind != "rbracket":
                raise self.fail("expected ',' or ']' in the list")
        self.take()
        return values

    def parse_value(self) -> Any:
        token = self.peek()
        if token.kind == "string":
            self.take()
            return re.sub(r"\\(.)", r"\1", token.text[1:-1])
        if token.kind == "word":
            self.take()
            lowered = token.text.lower()
            if lowered in ("true", "false"):
                return lowered == "true"
            if lowered == "null":
                return None
            if token.text[0].isdigit():
                return float(token.text) if "." in token.text else int(token.text)
            return token.text  # an unquoted word, e.g. an enum value
        raise self.fail(f"expected a value, found {token.text or 'end of rule'!r}")


def parse_rule(rule: str) -> Any:
    """Parse a dynamic membership rule into Clause / Not / Logical nodes (RuleError if bad)."""
    return _Parser(rule).parse()


def _property_words(name: str) -> str:
    lowered = name.lower()
    if lowered in _PROPERTY_WORDS:
        return _PROPERTY_WORDS[lowered]
    if lowered.startswith("user.extension_") or lowered.startswith("user.extensionattribute"):
        return f"extension attribute {name.split('.', 1)[1]}"
    if lowered.startswith("item."):
        return f"the item's {name.split('.', 1)[1]}"
    if lowered in ("item", "_"):
        return "the value"
    return name.split(".", 1)[-1]


def _value_words(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(_value_words(v) for v in value)
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)


def explain(node: Any) -> list[str]:
    """One plain-language line per clause, indented by nesting ("all of:", "any of:")."""
    return _explain(node, 0)


def _explain(node: Any, depth: int) -> list[str]:
    pad = "  " * depth
    if isinstance(node, Logical):
        head = "all of these hold:" if node.operator == "-and" else "at least one of these holds:"
        lines = [pad + head]
        for operand in node.operands:
            lines += _explain(operand, depth + 1)
        return lines
    if isinstance(node, Not):
        return [pad + "it is NOT the case that:", *_explain(node.operand, depth + 1)]
    clause: Clause = node
    subject = _property_words(clause.property)
    if clause.operator in ("-any", "-all"):
        quantifier = "at least one" if clause.operator == "-any" else "every one"
        return [
            pad + f"{quantifier} of the {subject} satisfies:",
            *_explain(clause.value, depth + 1),
        ]
    words = _OPERATORS[clause.operator]
    if clause.operator in ("-eq", "-ne") and clause.value is None:
        words = "is empty" if clause.operator == "-eq" else "is not empty"
        return [pad + f"{subject} {words}"]
    return [pad + f"{subject} {words} {_value_words(clause.value)}"]


def _lookup(obj: dict[str, Any], name: str) -> Any:
    """A property of `obj` by its rule name (user.department -> department), case-insensitive."""
    key = name.split(".", 1)[1] if "." in name else name
    lowered = key.lower()
    for candidate, value in obj.items():
        if candidate.lower() == lowered:
            return value
    return None


def _fold(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def evaluate(node: Any, obj: dict[str, Any], item: Any = None) -> bool:
    """True when the user (or device) `obj` satisfies the rule; missing properties are null."""
    if isinstance(node, Logical):
        results = (evaluate(o, obj, item) for o in node.operands)
        return all(results) if node.operator == "-and" else any(results)
    if isinstance(node, Not):
        return not evaluate(node.operand, obj, item)
    clause: Clause = node
    lowered = clause.property.lower()
    if lowered in ("item", "_"):
        actual = item  # the current value inside -any / -all
    elif item is not None and not lowered.startswith(("user.", "device.")):
        actual = _lookup(item, clause.property) if isinstance(item, dict) else None
    else:
        actual = _lookup(obj, clause.property)
    op, expected = clause.operator, clause.value
    if op in ("-any", "-all"):
        values = actual if isinstance(actual, list) else []
        check = (evaluate(expected, obj, v) for v in values)
        return any(check) if op == "-any" else bool(values) and all(check)
    if isinstance(actual, list) and op not in ("-eq", "-ne"):
        actual = [_fold(a) for a in actual]
    a, e = _fold(actual), _fold(expected)
    if op == "-eq":
        return a == e
    if op == "-ne":
        return a != e
    if op in ("-in", "-notin"):
        inside = a in [_fold(x) for x in e]
        return inside if op == "-in" else not inside
    if a is None:
        return op in ("-notstartswith", "-notcontains", "-notmatch")
    text = str(a).lower()
    if op == "-startswith":
        return text.startswith(str(e))
    if op == "-notstartswith":
        return not text.startswith(str(e))
    if op == "-contains":
        return str(e) in text
    if op == "-notcontains":
        return str(e) not in text
    if op in ("-match", "-notmatch"):
        found = re.search(str(expected), str(actual), re.I) is not None
        return found if op == "-match" else not found
    if op in ("-le", "-ge"):
        try:
            return float(a) <= float(e) if op == "-le" else float(a) >= float(e)
        except (TypeError, ValueError):
            return False
    return False

"""Parser and three-valued evaluator for Conditional Access device filter rules.

A rule looks like `device.trustType -eq "ServerAD" -and (device.isCompliant -eq True)`.
Evaluation uses Kleene logic: a comparison over a device fact we do not know is `None`
(cannot decide), `False -and None` is `False`, `True -or None` is `True`. String comparisons
ignore case, as Entra does for device filters.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from idpilot.conditional_access.catalog import normalize_trust_type
from idpilot.conditional_access.context import DeviceState

DEVICE_PREFIX = "device."
EXTENSION_ATTRIBUTE_COUNT = 15
EXCERPT_RADIUS = 20

KNOWN_ATTRIBUTES: frozenset[str] = frozenset(
    {
        "deviceid",
        "displayname",
        "deviceownership",
        "enrollmentprofilename",
        "iscompliant",
        "manufacturer",
        "mdmappid",
        "model",
        "operatingsystem",
        "operatingsystemversion",
        "physicalids",
        "profiletype",
        "systemlabels",
        "trusttype",
    }
    | {f"extensionattribute{n}" for n in range(1, EXTENSION_ATTRIBUTE_COUNT + 1)}
)
"""Lower-cased device properties the filter syntax allows."""

FactValue = str | bool | list[str] | None


class FilterOperator(StrEnum):
    """Comparison operators of the device filter syntax."""

    eq = "-eq"
    ne = "-ne"
    in_ = "-in"
    not_in = "-notIn"
    starts_with = "-startsWith"
    not_starts_with = "-notStartsWith"
    ends_with = "-endsWith"
    not_ends_with = "-notEndsWith"
    contains = "-contains"
    not_contains = "-notContains"


_OPERATORS: dict[str, FilterOperator] = {op.value.lower(): op for op in FilterOperator}
_LIST_OPERATORS = frozenset({FilterOperator.in_, FilterOperator.not_in})
_BOOLEAN_OPERATORS = frozenset({FilterOperator.eq, FilterOperator.ne})
_AND = "-and"
_OR = "-or"
_BOOLEANS = {"true": True, "false": False}


class DeviceFilterSyntaxError(ValueError):
    """A malformed device filter rule; says where and shows the spot."""

    def __init__(self, message: str, rule: str, position: int) -> None:
        self.rule = rule
        self.position = position
        start = max(0, position - EXCERPT_RADIUS)
        excerpt = rule[start : position + EXCERPT_RADIUS]
        caret = " " * (position - start) + "^"
        super().__init__(f"{message} at position {position}:\n  {excerpt}\n  {caret}")


# --- tokens -------------------------------------------------------------------------------------
class _Kind(StrEnum):
    lparen = "("
    rparen = ")"
    lbracket = "["
    rbracket = "]"
    comma = ","
    string = "string"
    word = "word"
    operator = "operator"
    end = "end"


@dataclass(frozen=True, slots=True)
class _Token:
    kind: _Kind
    text: str
    position: int


_PUNCTUATION = {"(": _Kind.lparen, ")": _Kind.rparen, "[": _Kind.lbracket, "]": _Kind.rbracket}
_PUNCTUATION[","] = _Kind.comma
_QUOTES = frozenset({'"', "'"})


def _tokenize(rule: str) -> list[_Token]:
    tokens: list[_Token] = []
    i = 0
    while i < len(rule):
        char = rule[i]
        if char.isspace():
            i += 1
        elif char in _PUNCTUATION:
            tokens.append(_Token(_PUNCTUATION[char], char, i))
            i += 1
        elif char in _QUOTES:
            end = rule.find(char, i + 1)
            if end < 0:
                raise DeviceFilterSyntaxError("unterminated string", rule, i)
            tokens.append(_Token(_Kind.string, rule[i + 1 : end], i))
            i = end + 1
        else:
            start = i
            while i < len(rule) and not rule[i].isspace() and rule[i] not in _PUNCTUATION:
                if rule[i] in _QUOTES:
                    break
                i += 1
            word = rule[start:i]
            kind = _Kind.operator if word.startswith("-") else _Kind.word
            tokens.append(_Token(kind, word, start))
    tokens.append(_Token(_Kind.end, "end of rule", len(rule)))
    return tokens


# --- syntax tree --------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Comparison:
    """`device.<attribute> <operator> <value>`."""

    attribute: str  # lower-cased, without "device."
    operator: FilterOperator
    value: str | bool | tuple[str, ...]


@dataclass(frozen=True, slots=True)
class And:
    """`left -and right`."""

    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Or:
    """`left -or right`."""

    left: Node
    right: Node


Node = Comparison | And | Or


class _Parser:
    def __init__(self, rule: str) -> None:
        self.rule = rule
        self.tokens = _tokenize(rule)
        self.index = 0

    def _peek(self) -> _Token:
        return self.tokens[self.index]

    def _next(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def _fail(self, message: str, token: _Token) -> DeviceFilterSyntaxError:
        return DeviceFilterSyntaxError(message, self.rule, token.position)

    def parse(self) -> Node:
        node = self._or()
        token = self._peek()
        if token.kind is not _Kind.end:
            raise self._fail(f"unexpected {token.text!r}", token)
        return node

    def _or(self) -> Node:
        node = self._and()
        while self._is_keyword(_OR):
            self._next()
            node = Or(node, self._and())
        return node

    def _and(self) -> Node:
        node = self._primary()
        while self._is_keyword(_AND):
            self._next()
            node = And(node, self._primary())
        return node

    def _is_keyword(self, keyword: str) -> bool:
        token = self._peek()
        return token.kind is _Kind.operator and token.text.lower() == keyword

    def _primary(self) -> Node:
        token = self._next()
        if token.kind is _Kind.lparen:
            node = self._or()
            closing = self._next()
            if closing.kind is not _Kind.rparen:
                raise self._fail("expected ')'", closing)
            return node
        if token.kind is _Kind.word:
            return self._comparison(token)
        raise self._fail(f"expected a device property or '(' but found {token.text!r}", token)

    def _comparison(self, token: _Token) -> Comparison:
        name = token.text
        if not name.lower().startswith(DEVICE_PREFIX):
            raise self._fail(f"expected 'device.<property>' but found {name!r}", token)
        attribute = name[len(DEVICE_PREFIX) :].lower()
        if attribute not in KNOWN_ATTRIBUTES:
            raise self._fail(f"unknown device property {name!r}", token)
        op_token = self._next()
        operator = (
            _OPERATORS.get(op_token.text.lower()) if op_token.kind is _Kind.operator else None
        )
        if operator is None:
            raise self._fail(
                f"expected an operator such as -eq but found {op_token.text!r}", op_token
            )
        if operator in _LIST_OPERATORS:
            return Comparison(attribute, operator, self._list())
        value_token = self._next()
        if value_token.kind is _Kind.string:
            return Comparison(attribute, operator, value_token.text)
        if value_token.kind is _Kind.word and value_token.text.lower() in _BOOLEANS:
            if operator not in _BOOLEAN_OPERATORS:
                raise self._fail(f"{operator.value} needs a string value", value_token)
            return Comparison(attribute, operator, _BOOLEANS[value_token.text.lower()])
        raise self._fail(
            f"expected a quoted string or True/False but found {value_token.text!r}", value_token
        )

    def _list(self) -> tuple[str, ...]:
        opening = self._next()
        if opening.kind is not _Kind.lbracket:
            raise self._fail("expected '[' to start a list", opening)
        items: list[str] = []
        while True:
            token = self._next()
            if token.kind is _Kind.string:
                items.append(token.text)
            elif token.kind is _Kind.rbracket and not items:
                return ()
            else:
                raise self._fail(
                    f"expected a quoted string in the list but found {token.text!r}", token
                )
            separator = self._next()
            if separator.kind is _Kind.rbracket:
                return tuple(items)
            if separator.kind is not _Kind.comma:
                raise self._fail("expected ',' or ']' in the list", separator)


def parse_device_filter(rule: str) -> Node:
    """Parse a device filter rule into a syntax tree; raise DeviceFilterSyntaxError if malformed."""
    return _Parser(rule).parse()


# --- evaluation ---------------------------------------------------------------------------------
def _fold(value: FactValue) -> FactValue:
    if isinstance(value, str):
        return value.lower()
    if isinstance(value, list):
        return [item.lower() for item in value]
    return value


def _string_test(fact: str | list[str], test: Callable[[str], bool]) -> bool:
    if isinstance(fact, list):
        return any(test(item) for item in fact)
    return test(fact)


def _compare(node: Comparison, fact: FactValue) -> bool | None:
    if fact is None:
        return None
    op = node.operator
    value = node.value
    if isinstance(value, bool) or isinstance(fact, bool):
        if op is FilterOperator.eq:
            return _as_bool(fact) == _as_bool(value)
        if op is FilterOperator.ne:
            return _as_bool(fact) != _as_bool(value)
        return False
    folded = _fold(fact)
    if isinstance(value, tuple):
        wanted = {item.lower() for item in value}
        hit = _string_test(folded, wanted.__contains__)
        return hit if op is FilterOperator.in_ else not hit
    target = value.lower()
    positive = {
        FilterOperator.eq: lambda s: s == target,
        FilterOperator.ne: lambda s: s == target,
        FilterOperator.starts_with: lambda s: s.startswith(target),
        FilterOperator.not_starts_with: lambda s: s.startswith(target),
        FilterOperator.ends_with: lambda s: s.endswith(target),
        FilterOperator.not_ends_with: lambda s: s.endswith(target),
        FilterOperator.contains: lambda s: target in s,
        FilterOperator.not_contains: lambda s: target in s,
    }[op]
    hit = _string_test(folded, positive)
    negated = op in {
        FilterOperator.ne,
        FilterOperator.not_starts_with,
        FilterOperator.not_ends_with,
        FilterOperator.not_contains,
    }
    return not hit if negated else hit


def _as_bool(value: FactValue | tuple[str, ...]) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return _BOOLEANS.get(value.lower())
    return None


def evaluate_device_filter(node: Node, facts: Mapping[str, FactValue]) -> bool | None:
    """Evaluate a parsed rule over lower-cased device facts; None when it cannot be decided."""
    if isinstance(node, Comparison):
        return _compare(node, facts.get(node.attribute))
    left = evaluate_device_filter(node.left, facts)
    if isinstance(node, And):
        if left is False:
            return False
        right = evaluate_device_filter(node.right, facts)
        if right is False:
            return False
        return None if left is None or right is None else True
    if left is True:
        return True
    right = evaluate_device_filter(node.right, facts)
    if right is True:
        return True
    return None if left is None or right is None else False


def device_facts(device: DeviceState | None) -> dict[str, FactValue]:
    """The device filter facts a DeviceState knows, keyed by lower-cased property name."""
    if device is None:
        return {}
    trust = normalize_trust_type(device.trust_type)
    facts: dict[str, FactValue] = {
        "deviceid": device.device_id or None,
        "displayname": device.display_name or None,
        "iscompliant": device.is_compliant,
        "trusttype": trust.value if trust else (device.trust_type or None),
        "operatingsystem": device.operating_system or None,
    }
    for key, value in device.extension_attributes.items():
        name = key.lower()
        if not name.startswith("extensionattribute"):
            name = f"extensionattribute{name}"
        facts[name] = value
    return facts


def attributes_of(node: Node) -> set[str]:
    """Every device property a rule reads (lower-cased), for reporting missing facts."""
    if isinstance(node, Comparison):
        return {node.attribute}
    return attributes_of(node.left) | attributes_of(node.right)

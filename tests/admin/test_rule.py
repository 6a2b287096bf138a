"""The dynamic membership rule parser, explainer and evaluator."""

import pytest

from idpilot.directory_rules import Clause, Logical, Not, RuleError, evaluate, explain, parse_rule

USER = {
    "department": "Sales",
    "accountEnabled": True,
    "jobTitle": "Account Manager",
    "country": "DE",
    "userType": "Member",
    "proxyAddresses": ["SMTP:bob@contoso.com", "smtp:bob@fabrikam.com"],
    "assignedPlans": [
        {"servicePlanId": "plan-1", "capabilityStatus": "Enabled"},
        {"servicePlanId": "plan-2", "capabilityStatus": "Deleted"},
    ],
}


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ('user.department -eq "Sales"', True),
        ('user.department -eq "sales"', True),  # case-insensitive, as in Entra
        ('user.department -ne "Sales"', False),
        ('user.jobTitle -startsWith "Account"', True),
        ('user.jobTitle -notStartsWith "Account"', False),
        ('user.jobTitle -contains "Manager"', True),
        ('user.jobTitle -notContains "Manager"', False),
        ('user.jobTitle -match "^Acc.*ger$"', True),
        ('user.jobTitle -notMatch "^Eng"', True),
        ('user.country -in ["DE", "FR"]', True),
        ('user.country -notIn ["DE", "FR"]', False),
        ("user.accountEnabled -eq true", True),
        ("user.accountEnabled -eq false", False),
        ("user.city -eq null", True),
        ("user.city -ne null", False),
        ('user.proxyAddresses -any (_ -contains "fabrikam")', True),
        ('user.proxyAddresses -all (_ -contains "fabrikam")', False),
        ('user.assignedPlans -any (assignedPlan.capabilityStatus -eq "Enabled")', True),
        ('user.assignedPlans -all (assignedPlan.capabilityStatus -eq "Enabled")', False),
        ('(user.department -eq "Sales") -and (user.accountEnabled -eq true)', True),
        ('(user.department -eq "HR") -or (user.country -eq "DE")', True),
        ('-not (user.department -eq "Sales")', False),
        ('user.department -eq "Sales" -and -not (user.userType -eq "Guest")', True),
        ('(user.department -eq "HR" -or user.department -eq "Sales") -and user.country -eq "FR"',
         False),
    ],
)  # fmt: skip
def test_operators(rule, expected):
    assert evaluate(parse_rule(rule), USER) is expected


def test_bare_logical_words_are_accepted():
    rule = '(user.department -eq "Sales") and not (user.accountEnabled -eq false) or user.x -eq 1'
    tree = parse_rule(rule)
    assert tree.operator == "-or" and tree.operands[0].operator == "-and"
    assert evaluate(tree, USER) is True


def test_precedence_and_binds_tighter_than_or():
    tree = parse_rule('user.a -eq "1" -or user.b -eq "2" -and user.c -eq "3"')
    assert isinstance(tree, Logical) and tree.operator == "-or"
    assert isinstance(tree.operands[1], Logical) and tree.operands[1].operator == "-and"


def test_clause_keeps_its_text():
    tree = parse_rule('(user.department -eq "Sales") -and -not (user.jobTitle -in ["A", "B"])')
    first, negated = tree.operands
    assert first == Clause("user.department", "-eq", "Sales", 'user.department -eq "Sales"')
    assert isinstance(negated, Not)
    assert negated.operand.value == ["A", "B"]


def test_explain_in_plain_language():
    lines = explain(parse_rule('(user.department -eq "Sales") -and (user.accountEnabled -eq true)'))
    assert lines == [
        "all of these hold:",
        '  department equals "Sales"',
        "  account enabled equals true",
    ]
    assert explain(parse_rule('user.proxyAddresses -any (_ -startsWith "smtp:")')) == [
        "at least one of the proxy addresses satisfies:",
        '  the value starts with "smtp:"',
    ]


@pytest.mark.parametrize(
    ("rule", "position", "message"),
    [
        ('(user.department -eq "Sales"', 28, "expected ')'"),
        ('user.department -equals "Sales"', 16, "expected an operator"),
        ("user.department -eq", 19, "expected a value"),
        ('user.department -eq "Sales" -and', 32, "expected a property"),
        ('user.country -in "DE"', 17, "expected '['"),
        ('user.department -eq "Sales")', 27, "unexpected ')'"),
        ("", 0, "the rule is empty"),
        ('user.department -eq "Sales" & x', 28, "unexpected character '&'"),
    ],
)
def test_malformed_rules_report_position(rule, position, message):
    with pytest.raises(RuleError) as caught:
        parse_rule(rule)
    assert caught.value.position == position
    assert message in str(caught.value)
    assert str(caught.value).splitlines()[-1] == "  " + " " * position + "^"

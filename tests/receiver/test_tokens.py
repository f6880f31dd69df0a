"""Webhook tokens: where they come from, rotation with two, constant-time matching, errors that never show one."""

import pytest

from sophia.receiver.tokens import TOKENS_ENV, TokenError, load_tokens
from tests.receiver.conftest import new_token


def test_one_token_from_the_environment():
    token = new_token()
    tokens = load_tokens({TOKENS_ENV: token}, None)
    assert tokens.matches(token)
    assert not tokens.matches(new_token())


@pytest.mark.parametrize("separator", [",", " ", "\n", " , "])
def test_two_tokens_while_rotating(separator):
    old, new = new_token(), new_token()
    tokens = load_tokens({TOKENS_ENV: f"{old}{separator}{new}"}, None)
    assert tokens.matches(old)
    assert tokens.matches(new)


def test_tokens_from_a_file(tmp_path):
    old, new = new_token(), new_token()
    (tmp_path / "tokens").write_text(f"{old}\n{new}\n")
    tokens = load_tokens({}, tmp_path / "tokens")
    assert tokens.matches(old)
    assert tokens.matches(new)


@pytest.mark.parametrize("given", ["", "x", "prefix-only"])
def test_near_misses_do_not_match(given):
    token = new_token()
    tokens = load_tokens({TOKENS_ENV: token}, None)
    assert not tokens.matches(given)
    assert not tokens.matches(token[:-1])
    assert not tokens.matches(token + "a")
    assert not tokens.matches(token.upper() if token != token.upper() else token.lower())


def test_exactly_one_source(tmp_path):
    (tmp_path / "tokens").write_text(new_token())
    with pytest.raises(TokenError, match=f"exactly one of \\${TOKENS_ENV} or --token-file"):
        load_tokens({TOKENS_ENV: new_token()}, tmp_path / "tokens")
    with pytest.raises(TokenError, match="exactly one of"):
        load_tokens({}, None)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("a,b,c", "given 3 token(s); allowed: 1, or 2 different ones"),
        ("same-token-same-token-same-token-0,same-token-same-token-same-token-0", "given 2 token(s)"),
    ],
)
def test_more_than_two_or_the_same_twice_is_refused(value, message):
    with pytest.raises(TokenError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_tokens({TOKENS_ENV: value}, None)


@pytest.mark.parametrize("candidate", ["short-token", "a/b" * 12, "quote'" * 8, "x" * 257])
def test_a_bad_token_is_described_but_never_shown(candidate):
    good = new_token()
    with pytest.raises(TokenError) as error:
        load_tokens({TOKENS_ENV: f"{good},{candidate}"}, None)
    assert f"token 2 ({len(candidate)} characters, not shown)" in str(error.value)
    assert candidate not in str(error.value)
    assert good not in str(error.value)


def test_a_missing_token_file_is_refused(tmp_path):
    with pytest.raises(TokenError, match="cannot read token file"):
        load_tokens({}, tmp_path / "absent")


def test_the_tokens_never_show_in_repr():
    token = new_token()
    assert token not in repr(load_tokens({TOKENS_ENV: token}, None))

#!/usr/bin/env python3
"""Get Keycloak tokens for this machine's AWS identity (grant_type=aws_identity).

Signs an sts:GetCallerIdentity request with botocore's SigV4 signer and the default
credentials chain, does NOT send it, and posts the signed parts to the realm's token
endpoint; Keycloak has STS check the signature and maps the AWS principal to a user.

Needs only the standard library and botocore (Debian: python3-botocore, run with
/usr/bin/python3).
"""

import argparse
import base64
import json
import uuid
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

import botocore.exceptions
import botocore.session
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest

GET_CALLER_IDENTITY_BODY = "Action=GetCallerIdentity&Version=2011-06-15"
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded; charset=utf-8"
AUDIENCE_HEADER = "X-Keycloak-Audience"
GRANT_TYPE = "aws_identity"

REQUEST_TIMEOUT_SECONDS = 30
# A token response is a few kilobytes; anything far larger is not one.
MAX_RESPONSE_BYTES = 1024 * 1024
REDACTED = "<redacted>"

# The region becomes part of a host name: keep it one lowercase DNS label. The server
# checks the exact per-partition shape.
REGION_LABEL = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
# Realm names become a path segment of the issuer and token endpoint URLs.
REALM_NAME = re.compile(r"[^/?#%\s]+")

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
PROGRAM = "aws-login"


class UsageError(Exception):
    """The command line cannot be run as given (exit status 2)."""


class LoginError(Exception):
    """Signing or the token request failed (exit status 1). Messages never carry secrets."""


# ---------------------------------------------------------------------------- signing

def sts_host(session, region):
    """sts.<region>.<partition DNS suffix>, from botocore's own endpoint data."""
    if not region or len(region) > 32 or not REGION_LABEL.fullmatch(region):
        raise UsageError("not an AWS region: %s" % region)
    try:
        partition = session.get_partition_for_region(region)
    except botocore.exceptions.UnknownRegionError:
        raise UsageError("not an AWS region botocore knows: %s" % region) from None
    endpoints = session.get_component("data_loader").load_data("endpoints")
    for entry in endpoints["partitions"]:
        if entry["partition"] == partition:
            return "sts.%s.%s" % (region, entry["dnsSuffix"])
    raise UsageError("no DNS suffix for partition %s" % partition)


def resolve_credentials(session):
    """Frozen credentials from botocore's default chain, so key, secret and token belong together."""
    try:
        credentials = session.get_credentials()
        if credentials is None:
            raise LoginError("no AWS credentials found (environment, shared config and credentials "
                             "files, web identity, container, instance metadata)")
        return credentials.get_frozen_credentials()
    except botocore.exceptions.BotoCoreError as error:
        # botocore's messages name the source that failed, never key material.
        raise LoginError("cannot get AWS credentials: %s" % error) from None


def sign_get_caller_identity(credentials, region, host, audience):
    """Returns (region, post_body, headers) of a signed, unsent GetCallerIdentity request.

    X-Keycloak-Audience is added before signing so that the signature covers it: a proof
    meant for one realm is refused by any other, which expects its own audience. SigV4 is
    deterministic and Keycloak accepts a signed request once, so a random signed invocation id
    keeps two logins in the same second apart.
    """
    request = AWSRequest(
        method="POST",
        url="https://%s/" % host,
        data=GET_CALLER_IDENTITY_BODY,
        # botocore signs the URL's host without adding a Host header; the server needs one.
        headers={"Host": host, "Content-Type": FORM_CONTENT_TYPE, AUDIENCE_HEADER: audience,
                 "amz-sdk-invocation-id": str(uuid.uuid4())},
    )
    SigV4Auth(credentials, "sts", region).add_auth(request)
    return region, GET_CALLER_IDENTITY_BODY, dict(request.headers.items())


# ---------------------------------------------------------------------------- token request

def form_parameters(region, post_body, headers, client_id, scope):
    form = {
        "grant_type": GRANT_TYPE,
        "region": region,
        "post_body": post_body,
        "headers_json": json.dumps(headers, separators=(",", ":")),
        # Also with Basic: Keycloak reads client_id from the form first.
        "client_id": client_id,
    }
    if scope and scope.strip():
        form["scope"] = scope
    return form


def basic_authorization(client_id, client_secret):
    """Form-encoded id and secret in HTTP Basic, as RFC 6749 section 2.3.1 asks."""
    pair = "%s:%s" % (urllib.parse.quote_plus(client_id), urllib.parse.quote_plus(client_secret))
    return "Basic " + base64.b64encode(pair.encode("utf-8")).decode("ascii")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A token endpoint does not redirect; following one would resend the proof elsewhere.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def post_token_request(token_endpoint, form, authorization):
    """Posts the form; returns (status, JSON object). Raises LoginError without a JSON object."""
    request = urllib.request.Request(
        token_endpoint,
        data=urllib.parse.urlencode(form).encode("ascii"),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
        method="POST",
    )
    if authorization:
        request.add_header("Authorization", authorization)
    opener = urllib.request.build_opener(_NoRedirects())
    try:
        with opener.open(request, timeout=REQUEST_TIMEOUT_SECONDS) as response:
            status, body = response.status, response.read(MAX_RESPONSE_BYTES + 1)
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read(MAX_RESPONSE_BYTES + 1)
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise LoginError("cannot reach the token endpoint %s: %s" % (token_endpoint, reason)) from None
    if 300 <= status < 400:
        raise LoginError("the token endpoint redirected (HTTP %d); redirects are not followed, "
                         "pass the URL Keycloak answers on as --keycloak" % status)
    if len(body) > MAX_RESPONSE_BYTES:
        raise LoginError("the token endpoint answered HTTP %d with more than %d bytes"
                         % (status, MAX_RESPONSE_BYTES))
    try:
        answer = json.loads(body.decode("utf-8"))
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        # Not echoed: an unexpected body (a proxy's page) is no business of stdout.
        raise LoginError("the token endpoint answered HTTP %d without a JSON object" % status)
    return status, answer


def error_summary(status, answer):
    error = answer.get("error") if isinstance(answer.get("error"), str) else "HTTP %d" % status
    description = answer.get("error_description")
    return "%s: %s" % (error, description) if isinstance(description, str) else error


# ---------------------------------------------------------------------------- redaction

SIGNATURE = re.compile(r"(Signature=)[^,\s]*")


def redact_headers(headers):
    """The signature and session token each act as the principal until the request expires."""
    redacted = {}
    for name, value in headers.items():
        lower = name.lower()
        if lower == "x-amz-security-token":
            value = REDACTED
        elif lower == "authorization":
            if value.startswith("AWS4-HMAC-SHA256 ") and SIGNATURE.search(value):
                value = SIGNATURE.sub(r"\g<1>" + REDACTED, value)
            else:
                value = REDACTED
        redacted[name] = value
    return redacted


# ---------------------------------------------------------------------------- command line

def argument_parser():
    parser = argparse.ArgumentParser(
        prog="aws_identity_login.py",
        description="Get tokens from Keycloak for this machine's AWS identity (grant_type=aws_identity). "
                    "Signs sts:GetCallerIdentity with botocore's default credentials chain without "
                    "sending it; Keycloak has STS check the signature.",
        epilog="Exit status: 0 tokens issued; 1 refused (\"error: description\" on stderr) or failed; "
               "2 usage error.")
    parser.add_argument("--keycloak", required=True, metavar="URL",
                        help="Keycloak base URL, e.g. http://localhost:8080")
    parser.add_argument("--realm", required=True, help="realm name, e.g. demo")
    parser.add_argument("--client-id", required=True, metavar="ID", help="OAuth2 client, e.g. aws-workload")
    parser.add_argument("--client-secret", metavar="SECRET",
                        help="secret of a confidential client, sent with HTTP Basic "
                             "(a command line is visible to other local users)")
    parser.add_argument("--scope", metavar='"A B"', help="scopes to request, space separated")
    parser.add_argument("--region",
                        help="AWS region to sign for (default: AWS_REGION, then botocore's region: "
                             "AWS_DEFAULT_REGION, the profile)")
    parser.add_argument("--audience", metavar="URL",
                        help="signed X-Keycloak-Audience (default: KEYCLOAK/realms/REALM)")
    parser.add_argument("--print", dest="print_format", choices=["json", "access-token"], default="json",
                        help="print the token response JSON (default) or only the access token")
    parser.add_argument("--dry-run", action="store_true",
                        help="print the token request instead of sending it, with the signature, "
                             "session token and client secret redacted")
    return parser


def keycloak_issuer(keycloak, realm):
    parsed = urllib.parse.urlsplit(keycloak)
    if parsed.scheme not in ("http", "https") or not parsed.hostname or parsed.query or parsed.fragment \
            or "@" in parsed.netloc:
        raise UsageError("Keycloak URL must be http(s)://host[:port][/path]: %s" % keycloak)
    if not REALM_NAME.fullmatch(realm):
        raise UsageError("not a realm name: %s" % realm)
    return keycloak.rstrip("/") + "/realms/" + realm


def choose_region(args, session):
    region = args.region or os.environ.get("AWS_REGION") or session.get_config_variable("region")
    if not region:
        raise UsageError("no AWS region: pass --region or set AWS_REGION")
    return region


def print_dry_run(token_endpoint, form, client_secret):
    print("POST " + token_endpoint)
    if client_secret:
        print("Authorization: Basic " + REDACTED)
    for name, value in form.items():
        if name == "headers_json":
            value = json.dumps(redact_headers(json.loads(value)), separators=(",", ":"))
        print("%s=%s" % (name, value))


def run(argv):
    parser = argument_parser()
    args = parser.parse_args(argv)  # exits 2 with the usage on a malformed command line
    session = botocore.session.get_session()
    try:
        for name in ("keycloak", "realm", "client_id"):
            if not getattr(args, name).strip():
                raise UsageError("--%s must not be empty" % name.replace("_", "-"))
        issuer = keycloak_issuer(args.keycloak, args.realm)
        region = choose_region(args, session)
        host = sts_host(session, region)
    except UsageError as error:
        parser.error(str(error))

    try:
        credentials = resolve_credentials(session)
        region, post_body, headers = sign_get_caller_identity(credentials, region, host, args.audience or issuer)
        token_endpoint = issuer + "/protocol/openid-connect/token"
        form = form_parameters(region, post_body, headers, args.client_id, args.scope)
        if args.dry_run:
            print_dry_run(token_endpoint, form, args.client_secret)
            return EXIT_OK
        authorization = basic_authorization(args.client_id, args.client_secret) if args.client_secret else None
        status, answer = post_token_request(token_endpoint, form, authorization)
    except LoginError as error:
        print("%s: %s" % (PROGRAM, error), file=sys.stderr)
        return EXIT_FAILED

    if not (200 <= status < 300) or answer.get("error") is not None:
        print(error_summary(status, answer), file=sys.stderr)
        return EXIT_FAILED
    if args.print_format == "access-token":
        token = answer.get("access_token")
        if not isinstance(token, str):
            print("%s: the token response has no access_token" % PROGRAM, file=sys.stderr)
            return EXIT_FAILED
        print(token)
    else:
        print(json.dumps(answer, separators=(",", ":")))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))

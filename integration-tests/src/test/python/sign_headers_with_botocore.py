#!/usr/bin/env python3
"""Signs a POST with botocore's SigV4 signer (AWS's own, Debian: python3-botocore) exactly as
given: the headers of the JSON on stdin, with their names' casing, are the request's headers
before signing; botocore adds and signs X-Amz-Date and X-Amz-Security-Token, signs every other
header but User-Agent, Expect, Transfer-Encoding and X-Amzn-Trace-Id (and nothing else: no
X-Amz-Content-Sha256 outside S3), and adds Authorization. Credentials come from botocore's
default chain (the tests set only the environment's).

The tests use it to sign header sets of clients whose own SDK cannot run here (the AWS SDK for
Go v2, see SignerInteropIT).

stdin:  {"region": ..., "host": ..., "body": ..., "headers": {name: value, ...}}
stdout: {"region": ..., "post_body": ..., "headers_json": "<the signed headers as a JSON object>"}
"""

import json
import sys

import botocore.session
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest


def main():
    spec = json.load(sys.stdin)
    credentials = botocore.session.get_session().get_credentials()
    if credentials is None:
        sys.exit("no AWS credentials in the environment")
    request = AWSRequest(method="POST", url="https://%s/" % spec["host"], data=spec["body"],
                         headers=dict(spec["headers"]))
    SigV4Auth(credentials.get_frozen_credentials(), "sts", spec["region"]).add_auth(request)
    headers = dict(request.headers.items())
    json.dump({"region": spec["region"], "post_body": spec["body"],
               "headers_json": json.dumps(headers, separators=(",", ":"))}, sys.stdout)


if __name__ == "__main__":
    main()

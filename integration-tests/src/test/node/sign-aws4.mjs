// Signs sts:GetCallerIdentity with the `aws4` npm module as a Node.js workload does:
// aws4.sign(request) with credentials from the environment (AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN). aws4 chooses Content-Type and adds and signs
// Content-Length, Host, X-Amz-Date and X-Amz-Security-Token itself. The host is given: for
// service sts aws4 defaults to the global sts.amazonaws.com, and a login names a region.
// Prints one JSON object: {region, hostname, path, method, post_body, headers, headers_json}.
// headers_json is the signed headers as a Node.js client posts them, with one conversion: aws4
// leaves Content-Length a number, and headers_json takes strings only (a number is refused as
// invalid_request, "header Content-Length must have exactly one string value").
//
//   node sign-aws4.mjs <region> <host> <audience>
import aws4 from "aws4";

const [region, host, audience] = process.argv.slice(2);
if (!region || !host || !audience) {
  console.error("usage: node sign-aws4.mjs <region> <host> <audience>");
  process.exit(2);
}

const request = {
  service: "sts",
  region,
  host,
  method: "POST",
  path: "/",
  body: "Action=GetCallerIdentity&Version=2011-06-15",
  headers: { "X-Keycloak-Audience": audience },
};
aws4.sign(request);

console.log(JSON.stringify({
  region,
  hostname: request.host,
  path: request.path,
  method: request.method,
  post_body: request.body,
  headers: request.headers,
  // As a Node.js client posts it: aws4 leaves Content-Length a number, which the server takes
  // as its decimal text.
  headers_json: JSON.stringify(request.headers),
}));

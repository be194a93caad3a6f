// Signs sts:GetCallerIdentity with the AWS SDK for JavaScript v3 (@aws-sdk/client-sts) exactly as
// an application calling `client.send(new GetCallerIdentityCommand({}))` does: the SDK's own
// middleware stack, default credential chain (here: the environment) and SigV4 signer. Only two
// things are added, both as a workload logging in to Keycloak would:
//  - a build-step middleware that sets X-Keycloak-Audience before the SDK signs, and
//  - a request handler that keeps the signed request instead of sending it to AWS.
// Prints one JSON object: {region, hostname, path, method, post_body, headers, headers_json},
// headers_json being JSON.stringify of the signed headers, as a Node.js client would post it.
//
//   node sign-aws-sdk-v3.mjs <region> <audience>
import { STSClient, GetCallerIdentityCommand } from "@aws-sdk/client-sts";

const [region, audience] = process.argv.slice(2);
if (!region || !audience) {
  console.error("usage: node sign-aws-sdk-v3.mjs <region> <audience>");
  process.exit(2);
}

class NotSent extends Error {}
let captured;

const client = new STSClient({
  region,
  // One attempt: a retry would sign a second request (amz-sdk-request attempt=2).
  maxAttempts: 1,
  requestHandler: {
    async handle(request) {
      captured = request;
      throw new NotSent("captured the signed request; not sent");
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs() {
      return {};
    },
  },
});
client.middlewareStack.add(
  (next) => async (args) => {
    args.request.headers["X-Keycloak-Audience"] = audience;
    return next(args);
  },
  { step: "build", name: "keycloakAudience" },
);

try {
  await client.send(new GetCallerIdentityCommand({}));
  console.error("the SDK sent the request instead of handing it to the capturing handler");
  process.exit(1);
} catch (error) {
  if (!captured) {
    console.error("signing failed: " + (error && error.message));
    process.exit(1);
  }
}

console.log(JSON.stringify({
  region,
  hostname: captured.hostname,
  path: captured.path,
  method: captured.method,
  post_body: captured.body,
  headers: captured.headers,
  headers_json: JSON.stringify(captured.headers),
}));

package io.github.kcawspack.awsidentity.sts;

import io.github.kcawspack.awsidentity.identity.AwsPrincipal;
import io.github.kcawspack.awsidentity.identity.InvalidPrincipalException;
import io.github.kcawspack.awsidentity.sts.StsResponseException.Reason;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Step "parse the response strictly": the only place an STS success answer is read. It accepts
 * exactly the document STS sends for GetCallerIdentity and refuses everything else with a
 * {@link StsResponseException}, because what it returns decides who the caller is.
 *
 * <pre>{@code
 * <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
 *   <GetCallerIdentityResult>
 *     <Arn>arn:aws:sts::123456789012:assumed-role/deployer/session-1</Arn>
 *     <UserId>AROAEXAMPLEID:session-1</UserId>
 *     <Account>123456789012</Account>
 *   </GetCallerIdentityResult>
 *   <ResponseMetadata>...</ResponseMetadata>
 * </GetCallerIdentityResponse>
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class GetCallerIdentityResponseParser {

    private static final String ROOT = "GetCallerIdentityResponse";
    private static final String RESULT = "GetCallerIdentityResult";
    private static final String METADATA = "ResponseMetadata";
    private static final String ARN = "Arn";
    private static final String USER_ID = "UserId";
    private static final String ACCOUNT = "Account";
    private static final Set<String> FIELDS = Set.of(ARN, USER_ID, ACCOUNT);

    // An ARN is at most 2048 characters; no field of a genuine answer comes close.
    private static final int MAX_FIELD_LENGTH = 2048;

    private final int maxBodyBytes;

    /** @param maxBodyBytes the configured cap on STS answers; a larger one is refused as too large */
    public GetCallerIdentityResponseParser(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    public CallerIdentity parse(byte[] body, String contentType) {
        requireXmlContentType(contentType);
        Document document = StsXml.parse(body, maxBodyBytes);
        Element result = theOnlyResult(document.getDocumentElement());
        CallerIdentity identity = readFields(result);
        requireConsistentIdentity(identity);
        return identity;
    }

    private static void requireXmlContentType(String contentType) {
        if (!StsContentType.isXml(contentType)) {
            throw new StsResponseException(Reason.CONTENT_TYPE_NOT_XML, "STS answer is not text/xml");
        }
    }

    private static Element theOnlyResult(Element root) {
        if (!StsXml.isStsElement(root, ROOT)) {
            throw new StsResponseException(Reason.UNEXPECTED_ROOT,
                    "STS answer is not a GetCallerIdentityResponse in the STS namespace");
        }
        Element result = null;
        int results = 0;
        int metadata = 0;
        for (Element child : StsXml.childElements(root)) {
            if (StsXml.isStsElement(child, RESULT)) {
                results++;
                result = child;
            } else if (StsXml.isStsElement(child, METADATA)) {
                metadata++;
            } else {
                throw new StsResponseException(Reason.UNEXPECTED_CONTENT,
                        "STS answer has an unexpected element in GetCallerIdentityResponse");
            }
        }
        if (results != 1) {
            throw new StsResponseException(Reason.RESULT_COUNT,
                    "STS answer must have exactly one GetCallerIdentityResult");
        }
        if (metadata > 1) {
            throw new StsResponseException(Reason.UNEXPECTED_CONTENT, "STS answer has more than one ResponseMetadata");
        }
        return result;
    }

    private static CallerIdentity readFields(Element result) {
        Map<String, String> fields = new HashMap<>();
        List<Element> children = StsXml.childElements(result);
        for (Element child : children) {
            String name = child.getLocalName();
            if (!StsXml.NAMESPACE.equals(child.getNamespaceURI()) || !FIELDS.contains(name)) {
                throw new StsResponseException(Reason.UNEXPECTED_CONTENT,
                        "STS answer has an unexpected element in GetCallerIdentityResult");
            }
            if (fields.containsKey(name)) {
                throw new StsResponseException(Reason.FIELD_DUPLICATED, "STS answer repeats " + name);
            }
            fields.put(name, requirePlainValue(name, StsXml.leafText(child)));
        }
        for (String name : FIELDS) {
            if (!fields.containsKey(name)) {
                throw new StsResponseException(Reason.FIELD_MISSING, "STS answer has no " + name);
            }
        }
        return new CallerIdentity(fields.get(ARN), fields.get(USER_ID), fields.get(ACCOUNT));
    }

    // Values are taken verbatim: STS writes them without padding, so padding means another writer.
    private static String requirePlainValue(String name, String value) {
        if (value.isBlank()) {
            throw new StsResponseException(Reason.FIELD_INVALID, "STS answer has an empty " + name);
        }
        if (value.length() > MAX_FIELD_LENGTH || !value.strip().equals(value)) {
            throw new StsResponseException(Reason.FIELD_INVALID, "STS answer has a malformed " + name);
        }
        return value;
    }

    /**
     * Account must be 12 digits, and the ARN must parse, name the same account as Account, and go with UserId the way STS pairs
     * them for its principal type. The rules live in {@link AwsPrincipal} so that the identity the
     * grant builds is checked by the same code.
     */
    private static void requireConsistentIdentity(CallerIdentity identity) {
        try {
            AwsPrincipal.from(identity);
        } catch (InvalidPrincipalException e) {
            throw new StsResponseException(reasonFor(e.problem()), "STS answer has an unusable identity: "
                    + e.getMessage());
        }
    }

    private static Reason reasonFor(InvalidPrincipalException.Problem problem) {
        return switch (problem) {
            case ACCOUNT_INVALID -> Reason.ACCOUNT_INVALID;
            case PRINCIPAL_UNSUPPORTED -> Reason.PRINCIPAL_UNSUPPORTED;
            case ACCOUNT_MISMATCH, USER_ID_MISMATCH, SESSION_MISMATCH -> Reason.IDENTITY_INCONSISTENT;
            case ARN_MALFORMED, PARTITION_UNKNOWN, RESOURCE_UNEXPECTED, NAME_INVALID -> Reason.ARN_INVALID;
        };
    }
}

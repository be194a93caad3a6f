package io.github.kcawspack.awsidentity.sts;

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

    /**
     * @param body        STS's answer, at most the configured cap
     * @param contentType the answer's Content-Type header, null when absent
     * @return the three fields as STS wrote them, each present once, non-blank and unpadded;
     *         whether they agree with one another is the verifier's next step
     *         ({@code principal.AwsPrincipal.from}), not the parser's
     * @throws StsResponseException when the answer is not exactly a GetCallerIdentity document
     */
    public CallerIdentity parse(byte[] body, String contentType) {
        requireXmlContentType(contentType);
        Document document = StsXmlReader.parse(body, maxBodyBytes);
        Element result = theOnlyResult(document.getDocumentElement());
        return readFields(result);
    }

    private static void requireXmlContentType(String contentType) {
        if (!StsContentType.isXml(contentType)) {
            throw new StsResponseException(Reason.CONTENT_TYPE_NOT_XML, "STS answer is not text/xml");
        }
    }

    private static Element theOnlyResult(Element root) {
        if (!StsXmlReader.isStsElement(root, ROOT)) {
            throw new StsResponseException(Reason.UNEXPECTED_ROOT,
                    "STS answer is not a GetCallerIdentityResponse in the STS namespace");
        }
        Element result = null;
        int results = 0;
        int metadata = 0;
        for (Element child : StsXmlReader.childElements(root)) {
            if (StsXmlReader.isStsElement(child, RESULT)) {
                results++;
                result = child;
            } else if (StsXmlReader.isStsElement(child, METADATA)) {
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
        List<Element> children = StsXmlReader.childElements(result);
        for (Element child : children) {
            String name = child.getLocalName();
            if (!StsXmlReader.NAMESPACE.equals(child.getNamespaceURI()) || !FIELDS.contains(name)) {
                throw new StsResponseException(Reason.UNEXPECTED_CONTENT,
                        "STS answer has an unexpected element in GetCallerIdentityResult");
            }
            if (fields.containsKey(name)) {
                throw new StsResponseException(Reason.FIELD_DUPLICATED, "STS answer repeats " + name);
            }
            fields.put(name, requirePlainValue(name, StsXmlReader.leafText(child)));
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
}

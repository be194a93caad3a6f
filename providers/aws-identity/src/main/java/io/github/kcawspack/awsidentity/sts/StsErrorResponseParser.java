package io.github.kcawspack.awsidentity.sts;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.w3c.dom.Element;

/**
 * Reads the error {@code Code} of STS's {@code ErrorResponse}, with the same hardened parser as
 * the success answer. Only the code is read: the Message is free text that can echo parts of the
 * request, and nothing of the body goes further than this class.
 *
 * <pre>{@code
 * <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
 *   <Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>...</Message></Error>
 *   <RequestId>...</RequestId>
 * </ErrorResponse>
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class StsErrorResponseParser {

    private static final Pattern PLAIN_CODE = Pattern.compile("[A-Za-z0-9.]{1,64}");

    private final int maxBodyBytes;

    /** @param maxBodyBytes the configured cap on STS answers; a larger one has no code */
    public StsErrorResponseParser(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * The error code, or empty if the answer is not an STS error document or its code is not a
     * plain token; never throws for anything in the answer. Classify with
     * {@link StsErrorClass#classify}, which falls back to the status when this is empty.
     */
    public Optional<String> errorCode(byte[] body, String contentType) {
        if (!StsContentType.isXml(contentType)) {
            return Optional.empty();
        }
        try {
            Element root = StsXmlReader.parse(body, maxBodyBytes).getDocumentElement();
            if (!StsXmlReader.isStsElement(root, "ErrorResponse")) {
                return Optional.empty();
            }
            return theOnlyChild(root, "Error")
                    .flatMap(error -> theOnlyChild(error, "Code"))
                    .map(StsXmlReader::leafText)
                    .filter(code -> PLAIN_CODE.matcher(code).matches());
        } catch (StsResponseException e) {
            return Optional.empty();
        }
    }

    private static Optional<Element> theOnlyChild(Element parent, String localName) {
        List<Element> matching = StsXmlReader.childElements(parent).stream()
                .filter(child -> StsXmlReader.isStsElement(child, localName))
                .toList();
        return matching.size() == 1 ? Optional.of(matching.get(0)) : Optional.empty();
    }
}

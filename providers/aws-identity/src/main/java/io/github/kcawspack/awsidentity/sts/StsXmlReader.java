package io.github.kcawspack.awsidentity.sts;

import io.github.kcawspack.awsidentity.sts.StsResponseException.Reason;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.EntityResolver;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Reads an STS document into a DOM without giving the document any power over the parser: no
 * DTD, so no entities (internal or external) and no billion laughs; no XInclude; no network or
 * file access; a size cap; and one encoding, UTF-8, decoded strictly before the parser sees it.
 *
 * <p>Each thread keeps one configured parser: building a {@link DocumentBuilderFactory} per STS
 * answer looks the implementation up and re-applies every setting, a measurable share of a
 * login's CPU. A {@link DocumentBuilder} is not thread-safe, hence one per thread, never shared.
 */
final class StsXmlReader {

    static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

    private static final String DISALLOW_DOCTYPE = "http://apache.org/xml/features/disallow-doctype-decl";
    private static final String EXTERNAL_GENERAL_ENTITIES = "http://xml.org/sax/features/external-general-entities";
    private static final String EXTERNAL_PARAMETER_ENTITIES =
            "http://xml.org/sax/features/external-parameter-entities";
    private static final String LOAD_EXTERNAL_DTD = "http://apache.org/xml/features/nonvalidating/load-external-dtd";

    /**
     * The parser of this thread. Its DOM is dropped after every parse (the JDK's builder releases
     * the document it built), so a thread keeps the configured parser, never an STS answer.
     */
    private static final ThreadLocal<DocumentBuilder> PARSER = ThreadLocal.withInitial(StsXmlReader::newHardenedBuilder);

    private StsXmlReader() {
    }

    /**
     * @param body         the answer's bytes
     * @param maxBodyBytes the server's configured cap on STS answers ({@code max-response-bytes});
     *                     the forwarder stops reading there, this holds whoever calls the parsers
     */
    static Document parse(byte[] body, int maxBodyBytes) {
        refuseOversize(body, maxBodyBytes);
        String text = decodeStrictUtf8(body);
        refuseDoctype(text);
        return parseHardened(text);
    }

    static void refuseOversize(byte[] body, int maxBodyBytes) {
        if (body != null && body.length > maxBodyBytes) {
            throw new StsResponseException(Reason.TOO_LARGE, "STS answer is larger than allowed");
        }
    }

    /**
     * Decoding ourselves means the parser gets characters, not bytes: an encoding declaration in
     * the document (UTF-16, EBCDIC, ...) cannot change how it is read, and a DOCTYPE cannot hide
     * from {@link #refuseDoctype} behind another encoding.
     */
    static String decodeStrictUtf8(byte[] body) {
        if (body == null) {
            return "";
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw new StsResponseException(Reason.NOT_UTF8, "STS answer is not valid UTF-8");
        }
    }

    /**
     * STS never sends a DOCTYPE; one means the answer is not STS's. The parser refuses it too,
     * but refusing it here gives the rejection its own reason instead of "malformed".
     */
    static void refuseDoctype(String text) {
        if (text.toUpperCase(Locale.ROOT).contains("<!DOCTYPE")) {
            throw new StsResponseException(Reason.DOCTYPE, "STS answer contains a document type declaration");
        }
    }

    /** The parser alone, configured so that it would refuse a DOCTYPE even without the scan. */
    static Document parseHardened(String text) {
        try {
            DocumentBuilder parser = PARSER.get();
            // Set again on every use: DocumentBuilder.reset() (called by nobody here, but
            // possible) would drop them, and a parser without them would resolve entities.
            parser.setEntityResolver(REFUSE_ENTITIES);
            parser.setErrorHandler(FAIL_SILENTLY);
            return parser.parse(new InputSource(new StringReader(text)));
        } catch (SAXException | IOException e) {
            // The parser's message can quote the document: it is dropped, not wrapped.
            throw new StsResponseException(Reason.MALFORMED_XML, "STS answer is not well-formed XML");
        }
    }

    private static DocumentBuilder newHardenedBuilder() {
        // newDefaultInstance: the JDK's own parser, whose features are known, never whichever
        // implementation a service loader on the server's class path would pick.
        DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
        try {
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature(DISALLOW_DOCTYPE, true);
            factory.setFeature(EXTERNAL_GENERAL_ENTITIES, false);
            factory.setFeature(EXTERNAL_PARAMETER_ENTITIES, false);
            factory.setFeature(LOAD_EXTERNAL_DTD, false);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setNamespaceAware(true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            factory.setValidating(false);
            // CDATA sections become ordinary text, so a field is one text node however it is written.
            factory.setCoalescing(true);
            return factory.newDocumentBuilder();
        } catch (ParserConfigurationException | IllegalArgumentException e) {
            throw new IllegalStateException("the JDK XML parser does not accept a hardening setting", e);
        }
    }

    private static final EntityResolver REFUSE_ENTITIES = (publicId, systemId) -> {
        throw new SAXException("external entities are not resolved");
    };

    /** The default handler prints parse errors, with document excerpts, to stderr. */
    private static final ErrorHandler FAIL_SILENTLY = new ErrorHandler() {
        @Override
        public void warning(SAXParseException exception) {
        }

        @Override
        public void error(SAXParseException exception) throws SAXException {
            throw exception;
        }

        @Override
        public void fatalError(SAXParseException exception) throws SAXException {
            throw exception;
        }
    };

    // ---- reading the tree -----------------------------------------------------------------

    static boolean isStsElement(Element element, String localName) {
        return NAMESPACE.equals(element.getNamespaceURI()) && localName.equals(element.getLocalName());
    }

    /**
     * The child elements of a structural element. Layout whitespace, comments and processing
     * instructions between elements carry nothing and are skipped; any other text is refused.
     */
    static List<Element> childElements(Element parent) {
        List<Element> elements = new ArrayList<>();
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            switch (child.getNodeType()) {
                case Node.ELEMENT_NODE -> elements.add((Element) child);
                case Node.TEXT_NODE, Node.CDATA_SECTION_NODE -> {
                    if (!child.getNodeValue().isBlank()) {
                        throw new StsResponseException(Reason.UNEXPECTED_CONTENT,
                                "STS answer has text where only elements belong");
                    }
                }
                case Node.COMMENT_NODE, Node.PROCESSING_INSTRUCTION_NODE -> {
                }
                default -> throw new StsResponseException(Reason.UNEXPECTED_CONTENT,
                        "STS answer has an unexpected node");
            }
        }
        return elements;
    }

    /**
     * The text of a leaf element. Anything but text inside it is refused rather than skipped: a
     * comment or element spliced into a value would make its text differ from what a reader sees.
     */
    static String leafText(Element leaf) {
        StringBuilder text = new StringBuilder();
        for (Node child = leaf.getFirstChild(); child != null; child = child.getNextSibling()) {
            short type = child.getNodeType();
            if (type != Node.TEXT_NODE && type != Node.CDATA_SECTION_NODE) {
                throw new StsResponseException(Reason.FIELD_NOT_TEXT, "STS answer has a field that is not plain text");
            }
            text.append(child.getNodeValue());
        }
        return text.toString();
    }
}

package io.github.kcawspack.awsidentity.sts;

import static io.github.kcawspack.awsidentity.sts.StsDocuments.roleResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kcawspack.awsidentity.sts.StsResponseException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The parser settings on their own, without the DOCTYPE scan in front: each of these documents
 * would be read (or would read a file, or blow up memory) by a default-configured parser.
 */
class StsXmlReaderTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>",
            "<!DOCTYPE x [<!ENTITY e \"internal\">]><x>&e;</x>",
            "<!DOCTYPE x SYSTEM \"http://127.0.0.1:1/x.dtd\"><x/>",
            "<!DOCTYPE x [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]><x/>",
            "<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
                    + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><x>&c;</x>"})
    void hardenedParserRefusesAnyDoctypeByItself(String document) {
        assertThatThrownBy(() -> StsXmlReader.parseHardened(document))
                .isInstanceOfSatisfying(StsResponseException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_XML));
    }

    @Test
    void hardenedParserReadsAnOrdinaryDocumentWithNamespaces() {
        var root = StsXmlReader.parseHardened(roleResponse()).getDocumentElement();
        assertThat(StsXmlReader.isStsElement(root, "GetCallerIdentityResponse")).isTrue();
        assertThat(StsXmlReader.childElements(root)).hasSize(2);
    }

    @Test
    void theThreadsReusedParserStaysHardenedAfterEveryKindOfFailure() {
        for (int round = 0; round < 3; round++) {
            assertThatThrownBy(() -> StsXmlReader.parseHardened("<x>unclosed</y>")).isInstanceOf(StsResponseException.class);
            assertThatThrownBy(() -> StsXmlReader.parseHardened("<!DOCTYPE x [<!ENTITY e \"internal\">]><x>&e;</x>"))
                    .isInstanceOfSatisfying(StsResponseException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_XML));
            assertThat(StsXmlReader.parseHardened(roleResponse()).getDocumentElement().getLocalName())
                    .isEqualTo("GetCallerIdentityResponse");
        }
    }

    @Test
    void threadsParsingAtOnceEachReadTheirOwnDocument() throws Exception {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            var results = new java.util.ArrayList<java.util.concurrent.Future<String>>();
            for (int i = 0; i < 200; i++) {
                String name = "n" + i;
                results.add(pool.submit(() -> StsXmlReader.parseHardened("<" + name + "><a>" + name + "</a></" + name + ">")
                        .getDocumentElement().getTextContent()));
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get()).isEqualTo("n" + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void parseErrorsAreNotPrintedToStandardError() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertThatThrownBy(() -> StsXmlReader.parseHardened("<x>secret-token-value</y>"))
                    .isInstanceOf(StsResponseException.class);
        } finally {
            System.setErr(original);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void scanFindsDoctypeInAnyCase() {
        assertThatThrownBy(() -> StsXmlReader.refuseDoctype("<x/><!DocType y>"))
                .isInstanceOfSatisfying(StsResponseException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.DOCTYPE));
        StsXmlReader.refuseDoctype("<x>DOCTYPE is just a word here</x>");
    }

    @Test
    void utf8ByteOrderMarkIsTolerated() {
        byte[] body = ("\uFEFF" + roleResponse()).getBytes(StandardCharsets.UTF_8);
        assertThat(StsXmlReader.parse(body, StsDocuments.MAX_BODY_BYTES).getDocumentElement().getLocalName()).isEqualTo("GetCallerIdentityResponse");
    }

    @Test
    void encodingDeclarationCannotChangeHowTheBodyIsRead() {
        // Declared ISO-8859-1 but sent as UTF-8: the characters are the UTF-8 ones.
        String document = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><x>\u00e9</x>";
        var root = StsXmlReader.parse(document.getBytes(StandardCharsets.UTF_8), StsDocuments.MAX_BODY_BYTES).getDocumentElement();
        assertThat(StsXmlReader.leafText(root)).isEqualTo("\u00e9");
    }
}

package io.github.kcawspack.awsidentity.sts;

import java.util.Locale;

/**
 * STS's query API answers {@code text/xml}. Anything else (a JSON answer, a proxy's HTML page) is
 * not an STS document, whatever its body looks like.
 */
final class StsContentType {

    private StsContentType() {
    }

    static boolean isXml(String contentType) {
        if (contentType == null) {
            return false;
        }
        String[] parts = contentType.split(";", -1);
        if (!parts[0].trim().toLowerCase(Locale.ROOT).equals("text/xml")) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            if (!isAcceptableParameter(parts[i].trim())) {
                return false;
            }
        }
        return true;
    }

    // The body is always decoded as UTF-8, so a charset parameter may only confirm that.
    private static boolean isAcceptableParameter(String parameter) {
        int equals = parameter.indexOf('=');
        if (equals <= 0) {
            return parameter.isEmpty();
        }
        String name = parameter.substring(0, equals).trim().toLowerCase(Locale.ROOT);
        if (!name.equals("charset")) {
            return true;
        }
        String value = parameter.substring(equals + 1).trim();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        value = value.toLowerCase(Locale.ROOT);
        return value.equals("utf-8") || value.equals("utf8") || value.equals("us-ascii");
    }
}

package io.github.kcawspack.awsidentity.verify;

import io.github.kcawspack.awsidentity.AwsIdentityRejection;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;

/**
 * Step "date": X-Amz-Date is a real UTC timestamp, on the credential scope's date, no older
 * than the realm's maximum age and not further in the future than the allowed clock skew.
 * A short window bounds how long a leaked signed request is worth anything.
 */
public final class FreshnessCheck {

    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withResolverStyle(ResolverStyle.STRICT);

    private FreshnessCheck() {
    }

    /** Returns when the request was signed. */
    public static Instant check(String amzDate, SigV4Authorization authorization, VerificationSettings settings, Clock clock) {
        Instant signedAt;
        try {
            signedAt = LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw AwsIdentityRejection.invalidRequest("date_malformed", "X-Amz-Date must be yyyyMMddTHHmmssZ");
        }
        if (!amzDate.startsWith(authorization.date())) {
            throw AwsIdentityRejection.invalidGrant("date_scope_mismatch",
                    "X-Amz-Date is not on the credential scope's date");
        }
        Instant now = clock.instant();
        if (signedAt.isBefore(now.minus(settings.maxAge()))) {
            throw AwsIdentityRejection.invalidGrant("request_expired",
                    "the signed request is older than " + settings.maxAge().toMinutes() + " minutes; sign a new one");
        }
        if (signedAt.isAfter(now.plus(settings.clockSkew()))) {
            throw AwsIdentityRejection.invalidGrant("request_from_future",
                    "X-Amz-Date is in the future; check the client's clock");
        }
        return signedAt;
    }
}

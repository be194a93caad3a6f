package io.github.kcawspack.awsidentity.principal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LinkedUsersTest {

    @Test
    void dropsTheLeastRecentlyUsedLinkBeyondItsCapacity() {
        LinkedUsers links = new LinkedUsers(2);
        links.remember("realm", "arn:a", "user-a");
        links.remember("realm", "arn:b", "user-b");
        links.username("realm", "arn:a");

        links.remember("realm", "arn:c", "user-c");

        assertThat(links.size()).isEqualTo(2);
        assertThat(links.username("realm", "arn:a")).contains("user-a");
        assertThat(links.username("realm", "arn:b")).isEmpty();
        assertThat(links.username("realm", "arn:c")).contains("user-c");
    }

    @Test
    void theSameArnInTwoRealmsIsTwoLinks() {
        LinkedUsers links = new LinkedUsers();
        links.remember("realm-1", "arn:a", "user-1");
        links.remember("realm-2", "arn:a", "user-2");

        assertThat(links.username("realm-1", "arn:a")).contains("user-1");
        assertThat(links.username("realm-2", "arn:a")).contains("user-2");
    }
}

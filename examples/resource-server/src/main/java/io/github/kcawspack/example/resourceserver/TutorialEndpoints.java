package io.github.kcawspack.example.resourceserver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The tutorials' endpoints, answering from the token's own claims (this example keeps no user
 * database). Which scope each needs is {@link SecurityConfiguration}'s business; by the time a
 * method runs, the token has been checked.
 */
@RestController
class TutorialEndpoints {

    /**
     * django-oauth-toolkit's user list (needs {@code read}).
     *
     * @return the one user this API knows, the caller: {@code [{"sub": …, "username": …}]}
     *         ({@code username} only when the token carries it)
     */
    @GetMapping("/users/")
    List<Map<String, Object>> users(AbstractOAuth2TokenAuthenticationToken<?> caller) {
        Map<String, Object> attributes = caller.getTokenAttributes();
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("sub", attributes.get("sub"));
        Object username = attributes.containsKey("preferred_username") ? attributes.get("preferred_username") : attributes.get("username");
        if (username != null) {
            user.put("username", username);
        }
        return List.of(user);
    }

    /**
     * django-oauth-toolkit's user creation (needs {@code write}), with a form body as in its
     * tutorial ({@code -d "username=foo&password=bar"}). Stores nothing.
     *
     * @param username the new user's name
     * @return 201 and the user as it would have been created: {@code {"username": …}}
     */
    @PostMapping(value = "/users/", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    Map<String, Object> createUser(@RequestParam("username") String username) {
        return Map.of("username", username);
    }

    /**
     * The same with a JSON body {@code {"username": …}}.
     *
     * @param user the new user
     * @return 201 and the user as it would have been created
     */
    @PostMapping(value = "/users/", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    Map<String, Object> createUser(@RequestBody Map<String, Object> user) {
        return Map.of("username", String.valueOf(user.get("username")));
    }

    /**
     * django-oauth-toolkit's group list (needs {@code groups}).
     *
     * @return the caller's groups from the token's {@code groups} claim (full paths, as the demo
     *         realm's {@code groups} scope maps them): {@code [{"name": "/staff"}]}
     */
    @GetMapping("/groups/")
    List<Map<String, Object>> groups(AbstractOAuth2TokenAuthenticationToken<?> caller) {
        List<Map<String, Object>> groups = new ArrayList<>();
        if (caller.getTokenAttributes().get("groups") instanceof List<?> paths) {
            paths.forEach(path -> groups.add(Map.of("name", String.valueOf(path))));
        }
        return groups;
    }

    /**
     * DJOAuth2's user info (needs {@code user_info}).
     *
     * @return {@code {"username": …, "email": …}} from the token (the demo realm's
     *         {@code user_info} scope maps both); a value the token lacks is null
     */
    @GetMapping("/api/user_info/")
    Map<String, Object> userInfo(AbstractOAuth2TokenAuthenticationToken<?> caller) {
        Map<String, Object> attributes = caller.getTokenAttributes();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("username", attributes.get("preferred_username"));
        info.put("email", attributes.get("email"));
        return info;
    }
}

package io.github.kcawspack.bench;

import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** All four grants at once, each with its share of the clients: the soak's load. */
final class MixedLoad {

    /** Clients per grant out of every 8: aws_identity most, password (deliberately slow hashing) least. */
    private static final Map<Grant, Integer> MIX = new EnumMap<>(Map.of(
            Grant.AWS_IDENTITY, 3, Grant.CLIENT_CREDENTIALS, 2, Grant.REFRESH_TOKEN, 2, Grant.PASSWORD, 1));

    private final Map<Grant, ClosedLoopLoad> loads = new EnumMap<>(Grant.class);
    private final Map<Grant, CompletableFuture<ClosedLoopLoad.Tally>> tallies = new EnumMap<>(Grant.class);
    private final Map<Grant, Integer> clients;

    private MixedLoad(Map<Grant, Integer> clients) {
        this.clients = clients;
    }

    /** Splits {@code total} clients over the grants by the mix, at least one each. */
    static Map<Grant, Integer> clientsPerGrant(int total) {
        int parts = MIX.values().stream().mapToInt(Integer::intValue).sum();
        Map<Grant, Integer> clients = new LinkedHashMap<>();
        MIX.forEach((grant, weight) -> clients.put(grant, Math.max(1, total * weight / parts)));
        return clients;
    }

    /** Starts the load in the background; {@link #tally(Grant)} waits for its end. */
    static MixedLoad start(TokenEndpoint endpoint, Map<Grant, Integer> clients, Map<Grant, TokenRequestSource> sources,
            Duration warmup, Duration duration) {
        MixedLoad mixed = new MixedLoad(clients);
        for (Map.Entry<Grant, Integer> entry : clients.entrySet()) {
            Grant grant = entry.getKey();
            ClosedLoopLoad load = new ClosedLoopLoad(endpoint);
            mixed.loads.put(grant, load);
            mixed.tallies.put(grant, CompletableFuture.supplyAsync(() -> load.run(entry.getValue(), warmup, duration,
                    sources.get(grant), ClosedLoopLoad.Window.UNOBSERVED), task -> {
                        Thread thread = new Thread(task, "mixed-load-" + grant.wireName());
                        thread.setDaemon(true);
                        thread.start();
                    }));
        }
        return mixed;
    }

    Map<Grant, ClosedLoopLoad> loads() {
        return loads;
    }

    Map<Grant, Integer> clients() {
        return clients;
    }

    ClosedLoopLoad.Tally tally(Grant grant) {
        return tallies.get(grant).join();
    }

    /** Failures of all grants, for a warm-up whose figures are otherwise thrown away. */
    Map<String, Long> errorKinds() {
        Map<String, Long> kinds = new LinkedHashMap<>();
        for (Grant grant : tallies.keySet()) {
            tally(grant).errorKinds().forEach((kind, count) -> kinds.merge(grant.wireName() + ": " + kind, count, Long::sum));
        }
        return kinds;
    }
}

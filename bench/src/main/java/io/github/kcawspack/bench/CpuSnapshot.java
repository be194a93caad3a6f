package io.github.kcawspack.bench;

/**
 * Who had used how much CPU at one moment: the machine, Keycloak, and this JVM (load generator
 * and fake STS). Two snapshots give the shares of a phase.
 */
record CpuSnapshot(long nanoTime, ProcCpu.Machine machine, long keycloakMillis, long keycloakJitMillis, long benchMillis) {

    static CpuSnapshot take(KeycloakJvm keycloak) {
        return new CpuSnapshot(System.nanoTime(), ProcCpu.machine(), keycloak.cpuMillis(), keycloak.jitMillis(),
                ProcCpu.processMillis(ProcessHandle.current().pid()));
    }

    /** CPU used between {@code earlier} and this snapshot, in cores (1.0 = one core all the time). */
    CpuShares since(CpuSnapshot earlier) {
        double wallMillis = (nanoTime - earlier.nanoTime) / 1e6;
        double keycloak = (keycloakMillis - earlier.keycloakMillis) / wallMillis;
        double bench = (benchMillis - earlier.benchMillis) / wallMillis;
        double busy = (machine.busyMillis() - earlier.machine.busyMillis()) / wallMillis;
        return new CpuShares(keycloak, (keycloakJitMillis - earlier.keycloakJitMillis) / wallMillis, bench,
                Math.max(0, busy - keycloak - bench), keycloakMillis - earlier.keycloakMillis,
                keycloakJitMillis - earlier.keycloakJitMillis);
    }

    /**
     * @param keycloakCores     Keycloak's CPU, in cores, its JIT compiler included
     * @param keycloakJitCores  the part of it that compiled code (warm-up, not per-request work)
     * @param benchCores        this JVM's: load generator, request signing, fake STS
     * @param othersCores       everything else on the machine (other engineers' builds, the OS)
     * @param keycloakMillis    Keycloak's CPU time in the interval
     * @param keycloakJitMillis its JIT compiler threads' CPU time in the interval
     */
    record CpuShares(double keycloakCores, double keycloakJitCores, double benchCores, double othersCores,
            long keycloakMillis, long keycloakJitMillis) {
    }
}

package io.github.kcawspack.bench;

/**
 * Who had used how much CPU at one moment: the machine, Keycloak, and this JVM (load generator
 * and fake STS). Two snapshots give the shares of a phase.
 */
record CpuSnapshot(long nanoTime, ProcCpu.Machine machine, long keycloakMillis, long benchMillis) {

    static CpuSnapshot take(KeycloakJvm keycloak) {
        return new CpuSnapshot(System.nanoTime(), ProcCpu.machine(), keycloak.cpuMillis(),
                ProcCpu.processMillis(ProcessHandle.current().pid()));
    }

    /** CPU used between {@code earlier} and this snapshot, in cores (1.0 = one core all the time). */
    CpuShares since(CpuSnapshot earlier) {
        double wallMillis = (nanoTime - earlier.nanoTime) / 1e6;
        double keycloak = (keycloakMillis - earlier.keycloakMillis) / wallMillis;
        double bench = (benchMillis - earlier.benchMillis) / wallMillis;
        double busy = (machine.busyMillis() - earlier.machine.busyMillis()) / wallMillis;
        return new CpuShares(keycloak, bench, Math.max(0, busy - keycloak - bench),
                keycloakMillis - earlier.keycloakMillis);
    }

    /**
     * @param keycloakCores  Keycloak's CPU, in cores
     * @param benchCores     this JVM's: load generator, request signing, fake STS
     * @param othersCores    everything else on the machine (other engineers' builds, the OS)
     * @param keycloakMillis Keycloak's CPU time in the interval
     */
    record CpuShares(double keycloakCores, double benchCores, double othersCores, long keycloakMillis) {
    }
}

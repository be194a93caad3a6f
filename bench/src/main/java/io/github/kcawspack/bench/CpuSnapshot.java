package io.github.kcawspack.bench;

/**
 * Who had used how much CPU at one moment: the machine, Keycloak, and this JVM (load generator
 * and fake STS). Two snapshots give the CPU used in between.
 */
record CpuSnapshot(long nanoTime, ProcCpu.Machine machine, long keycloakMillis, long keycloakJitMillis, long benchMillis) {

    static CpuSnapshot take(KeycloakJvm keycloak) {
        return new CpuSnapshot(System.nanoTime(), ProcCpu.machine(), keycloak.cpuMillis(), keycloak.jitMillis(),
                ProcCpu.processMillis(ProcessHandle.current().pid()));
    }

    /** CPU used between {@code earlier} and this snapshot. */
    CpuUse since(CpuSnapshot earlier) {
        return new CpuUse((nanoTime - earlier.nanoTime) / 1e6, keycloakMillis - earlier.keycloakMillis,
                keycloakJitMillis - earlier.keycloakJitMillis, benchMillis - earlier.benchMillis,
                machine.busyMillis() - earlier.machine.busyMillis());
    }

    /**
     * CPU time used over some wall-clock time, in milliseconds; several stretches add up.
     *
     * @param keycloakMillis    Keycloak's, its JIT compiler included
     * @param keycloakJitMillis the part of it that compiled code (warm-up, not per-request work)
     * @param benchMillis       this JVM's: load generator, request signing, fake STS
     * @param machineMillis     every process's, all cores together
     */
    record CpuUse(double wallMillis, long keycloakMillis, long keycloakJitMillis, long benchMillis, long machineMillis) {

        static final CpuUse NONE = new CpuUse(0, 0, 0, 0, 0);

        CpuUse plus(CpuUse other) {
            return new CpuUse(wallMillis + other.wallMillis, keycloakMillis + other.keycloakMillis,
                    keycloakJitMillis + other.keycloakJitMillis, benchMillis + other.benchMillis,
                    machineMillis + other.machineMillis);
        }

        /** In cores: 1.0 is one core all the time. */
        double keycloakCores() {
            return keycloakMillis / wallMillis;
        }

        double keycloakJitCores() {
            return keycloakJitMillis / wallMillis;
        }

        double benchCores() {
            return benchMillis / wallMillis;
        }

        /** Everything else on the machine: other engineers' builds and servers, the OS. */
        double othersCores() {
            return Math.max(0, machineMillis - keycloakMillis - benchMillis) / wallMillis;
        }
    }
}

/**
 * Runs before every test file. Tests construct stock @apollo/gateway in process (the differential
 * and scope tests); unless told otherwise it probes cloud metadata addresses and reports usage to
 * Apollo, and those probes' timers outlive the test file, holding Jest's workers past their exit.
 * Crossdock's own gateway sets this itself (gateway/src/server.ts) and is tested for it.
 */
process.env.APOLLO_TELEMETRY_DISABLED = 'true';

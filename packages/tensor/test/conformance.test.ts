import { describeBackend } from "@x/test-utils";

// The cpu backend against the naive references of the shared conformance suite.
describeBackend("cpu");

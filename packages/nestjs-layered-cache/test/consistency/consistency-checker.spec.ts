import { describeConsistencyChecker } from './consistency-checker.suite.js';

// The same checker under jittered replies, and on Sentinel and Cluster: see the stress and topology specs.
describeConsistencyChecker('single Redis', { operations: 3000 });

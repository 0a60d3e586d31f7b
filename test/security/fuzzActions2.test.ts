import { clickFuzzSuite } from './clickFuzz';

clickFuzzSuite(3_000, 12);

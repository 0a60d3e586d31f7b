import { messageFuzzSuite } from './messageFuzz';

messageFuzzSuite(1_000, 14);

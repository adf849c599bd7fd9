// What jsdom lacks for tests that import the data source (MessageChannel above all): one set of
// polyfills, shared with the editor tests.
import '../../src/components/testing/polyfills';

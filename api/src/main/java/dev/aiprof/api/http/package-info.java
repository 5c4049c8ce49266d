/**
 * The agent's HTTP servers on the JDK's {@code com.sun.net.httpserver}, hardened against slow and
 * greedy clients ({@link dev.aiprof.api.http.HttpServers}), and the rule that they listen beyond
 * loopback only when asked ({@link dev.aiprof.api.http.Loopback}).
 */
package dev.aiprof.api.http;

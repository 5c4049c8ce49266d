package dev.aiprof.agent.config;

/**
 * One setting in a config file: its dotted key (nested YAML maps flattened), its value as text and
 * the line it is on (1-based), for messages.
 */
public record ConfigEntry(String key, String value, int line) {}

package dev.latchkey.broker;

/** How a server-side hang-up went: ended, or the provider no longer knows the call. */
public enum HangupResult { ENDED, NOT_FOUND }

package dev.latchkey.accounts;

public record SignupResult(UserView user, OrganizationView organization) {
}

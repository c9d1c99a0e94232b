package dev.mcpconnector.authorization;

import dev.mcpconnector.McpConnectorErrorCode;
import dev.mcpconnector.McpConnectorException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The package-private exceptions of the authorization client: what they carry for the code
 * that catches them here, and the code and status they answer with everywhere else.
 */
@Tag("fast")
class AuthorizationExceptionsTests {

	@Test
	void tokenRequestExceptionTellsInvalidGrantAndInvalidClientByTheOAuthErrorCode() {
		assertThat(new TokenRequestException("invalid_grant", 400, "x").isInvalidGrant()).isTrue();
		assertThat(new TokenRequestException("invalid_client", 401, "x").isInvalidClient()).isTrue();
		assertThat(new TokenRequestException("unauthorized_client", 400, "x").isInvalidClient()).isTrue();
		assertThat(new TokenRequestException("invalid_request", 400, "x").isInvalidGrant()).isFalse();
		assertThat(new TokenRequestException(null, 500, "x").isInvalidClient()).isFalse();
	}

	@Test
	void tokenRequestExceptionAnswersAsTokenRequestFailed() {
		McpConnectorException ex = new TokenRequestException("invalid_grant", 400, "refresh refused");
		assertThat(ex.error()).isSameAs(McpConnectorErrorCode.TOKEN_REQUEST_FAILED);
		assertThat(ex.getStatusCode()).isEqualTo(HttpStatus.BAD_GATEWAY);
		assertThat(ex.getBody().getDetail()).isEqualTo("refresh refused");
	}

	@Test
	void invalidIdTokenExceptionAnswersAsInvalidIdTokenNamingOnlyTheIssuerAndReason() {
		McpConnectorException ex = new InvalidIdTokenException(InvalidIdTokenException.Reason.NONCE,
				"https://as.example");
		assertThat(ex.error()).isSameAs(McpConnectorErrorCode.INVALID_ID_TOKEN);
		assertThat(ex.getStatusCode()).isEqualTo(HttpStatus.BAD_GATEWAY);
		assertThat(ex.getMessage()).isEqualTo("The ID token from https://as.example was refused: "
				+ "its nonce is not the one this authorization request sent");
	}

}

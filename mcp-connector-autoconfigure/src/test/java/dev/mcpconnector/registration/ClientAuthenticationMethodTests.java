package dev.mcpconnector.registration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Client authentication methods by their registered names, and what each requires. */
@Tag("fast")
class ClientAuthenticationMethodTests {

	@Test
	void ofWhenARegisteredNameThenTheMethodInAnyCase() {
		assertThat(ClientAuthenticationMethod.of("client_secret_basic"))
			.isEqualTo(ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
		assertThat(ClientAuthenticationMethod.of(" Private_Key_JWT ")).isEqualTo(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
		assertThat(ClientAuthenticationMethod.of("none").value()).isEqualTo("none");
	}

	@Test
	void ofWhenAMethodMcpConnectorDoesNotSpeakThenRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> ClientAuthenticationMethod.of("tls_client_auth"))
			.withMessageContaining("tls_client_auth");
	}

	@Test
	void registeredClientWhenASecretMethodWithoutASecretThenRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RegisteredClient("https://as.example.com", "app", null,
				ClientAuthenticationMethod.CLIENT_SECRET_POST, ClientRegistrationSource.PRE_REGISTERED, null, null, null));
		assertThatIllegalArgumentException().isThrownBy(() -> new RegisteredClient("https://as.example.com", "app", null,
				ClientAuthenticationMethod.PRIVATE_KEY_JWT, ClientRegistrationSource.PRE_REGISTERED, null, null, null));
		assertThat(RegisteredClient.publicClient("https://as.example.com", "app", ClientRegistrationSource.DYNAMIC)
			.authMethod()).isEqualTo(ClientAuthenticationMethod.NONE);
	}

	@Test
	void chooseAuthMethodWhenTheServerListsMethodsThenBasicThenPostThenNone() {
		assertThat(ClientRegistrationResolver.chooseAuthMethod(java.util.List.of()))
			.isEqualTo(ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
		assertThat(ClientRegistrationResolver.chooseAuthMethod(java.util.List.of("client_secret_post", "none")))
			.isEqualTo(ClientAuthenticationMethod.CLIENT_SECRET_POST);
		assertThat(ClientRegistrationResolver.chooseAuthMethod(java.util.List.of("private_key_jwt")))
			.isEqualTo(ClientAuthenticationMethod.NONE);
	}

}

package dev.mcpconnector.jpa;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;

import dev.mcpconnector.crypto.SecretCipher;
import dev.mcpconnector.registration.ClientAuthenticationMethod;
import dev.mcpconnector.registration.ClientRegistrationStore;
import dev.mcpconnector.registration.StoredClientRegistration;
import org.springframework.orm.jpa.SharedEntityManagerCreator;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.Assert;

/** {@link ClientRegistrationStore} on JPA; client secrets encrypted and bound to their issuer. */
class JpaClientRegistrationStore implements ClientRegistrationStore {

	static final String CLIENT_SECRET = "mcp_client_registration.client_secret";

	private final EntityManager entityManager;

	private final TransactionTemplate transactions;

	private final SecretCipher cipher;

	JpaClientRegistrationStore(EntityManagerFactory entityManagerFactory,
			PlatformTransactionManager transactionManager, SecretCipher cipher) {
		Assert.notNull(entityManagerFactory, "entityManagerFactory cannot be null");
		Assert.notNull(transactionManager, "transactionManager cannot be null");
		Assert.notNull(cipher, "cipher cannot be null");
		this.entityManager = SharedEntityManagerCreator.createSharedEntityManager(entityManagerFactory);
		this.transactions = new GuardedTransactionTemplate(transactionManager);
		this.cipher = cipher;
	}

	@Override
	public Optional<StoredClientRegistration> find(String issuer) {
		Assert.hasText(issuer, "issuer cannot be empty");
		ClientRegistrationEntity entity = this.transactions
			.execute((status) -> this.entityManager.find(ClientRegistrationEntity.class, issuer));
		if (entity == null) {
			return Optional.empty();
		}
		String secret = (entity.clientSecret != null) ? new String(
				this.cipher.decrypt(entity.clientSecret, SecretCipher.associatedData(CLIENT_SECRET, entity.issuer)),
				StandardCharsets.UTF_8) : null;
		return Optional.of(new StoredClientRegistration(entity.issuer, entity.clientId, secret,
				ClientAuthenticationMethod.of(entity.authMethod),
				entity.source, entity.redirectUri, entity.clientSecretExpiresAt, entity.createdAt));
	}

	@Override
	public void save(StoredClientRegistration registration) {
		Assert.notNull(registration, "registration cannot be null");
		this.transactions.executeWithoutResult((status) -> {
			ClientRegistrationEntity entity = this.entityManager.find(ClientRegistrationEntity.class,
					registration.issuer());
			boolean isNew = (entity == null);
			if (isNew) {
				entity = new ClientRegistrationEntity();
				entity.issuer = registration.issuer();
			}
			entity.clientId = registration.clientId();
			entity.clientSecret = (registration.clientSecret() != null)
					? this.cipher.encrypt(registration.clientSecret().getBytes(StandardCharsets.UTF_8),
							SecretCipher.associatedData(CLIENT_SECRET, registration.issuer()))
					: null;
			entity.authMethod = registration.authMethod().value();
			entity.source = registration.source();
			entity.redirectUri = registration.redirectUri();
			entity.clientSecretExpiresAt = registration.clientSecretExpiresAt();
			entity.createdAt = registration.createdAt();
			if (isNew) {
				this.entityManager.persist(entity);
			}
		});
	}

	@Override
	public void delete(String issuer) {
		Assert.hasText(issuer, "issuer cannot be empty");
		this.transactions.executeWithoutResult((status) -> this.entityManager
			.createQuery("delete from McpConnectorClientRegistration r where r.issuer = :issuer")
			.setParameter("issuer", issuer)
			.executeUpdate());
	}

}

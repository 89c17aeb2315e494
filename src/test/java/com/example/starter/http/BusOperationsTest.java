package com.example.starter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.starter.bus.Addresses;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.openapi.contract.OpenAPIContract;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The addresses the contract hands operations to are addresses of the bus layer. */
@ExtendWith(VertxExtension.class)
class BusOperationsTest {

  @Test
  void everyAddressInTheContractIsOneOfTheBusLayersAddresses(Vertx vertx) {
    OpenAPIContract contract = OpenAPIContract.from(vertx, HttpRouter.CONTRACT).await();
    List<String> named =
        contract.operations().stream()
            .map(BusOperations::address)
            .flatMap(Optional::stream)
            .toList();
    assertThat(named).contains(Addresses.GREETINGS_GREET);
    assertThat(addresses()).containsAll(named);
  }

  private static Set<String> addresses() {
    return Arrays.stream(Addresses.class.getFields())
        .filter(field -> Modifier.isStatic(field.getModifiers()))
        .filter(field -> field.getType() == String.class)
        .map(BusOperationsTest::value)
        .collect(Collectors.toSet());
  }

  private static String value(Field field) {
    try {
      return (String) field.get(null);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}

package io.hostsync.sample;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Orders from quotes: {@code POST /customers/{customer}/orders?symbol=ACME&quantity=n}, against
 * the customer's credit on the host.
 */
@RestController
public class OrderController {

    private final CustomerOrders orders;

    /**
     * Creates the controller.
     *
     * @param orders the host's customer orders
     */
    public OrderController(CustomerOrders orders) {
        this.orders = orders;
    }

    /**
     * Places an order at the current price.
     *
     * @param customer the customer's id
     * @param symbol the symbol, such as {@code ACME}
     * @param quantity how many units, 1 by default
     * @return 201 and the order if accepted, 409 and the order if it exceeds the customer's credit
     */
    @PostMapping("/customers/{customer}/orders")
    public ResponseEntity<CustomerOrders.Order> place(@PathVariable String customer, @RequestParam String symbol,
            @RequestParam(defaultValue = "1") int quantity) {
        if (quantity < 1) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "quantity must be at least 1, not " + quantity);
        }
        CustomerOrders.Order order = this.orders.place(customer, symbol, quantity);
        return ResponseEntity.status(order.accepted() ? HttpStatus.CREATED : HttpStatus.CONFLICT).body(order);
    }
}

"""Azure pricers, keyed by Terraform resource type (provider `azurerm`)."""

from __future__ import annotations

from costgate.pricing.azurerm import (
    compute,
    container_registry,
    disks,
    monitor,
    security,
    storage,
)
from costgate.pricing.quote import Pricer

PRICERS: dict[str, Pricer] = {
    "azurerm_linux_virtual_machine": compute.price_linux_vm,
    "azurerm_windows_virtual_machine": compute.price_windows_vm,
    "azurerm_virtual_machine": compute.price_legacy_vm,
    "azurerm_linux_virtual_machine_scale_set": compute.price_scale_set,
    "azurerm_windows_virtual_machine_scale_set": compute.price_scale_set,
    "azurerm_virtual_machine_scale_set": compute.price_legacy_scale_set,
    "azurerm_kubernetes_cluster": compute.price_aks_cluster,
    "azurerm_kubernetes_cluster_node_pool": compute.price_aks_node_pool,
    "azurerm_machine_learning_compute_cluster": compute.price_ml_compute_cluster,
    "azurerm_machine_learning_compute_instance": compute.price_ml_compute_instance,
    "azurerm_managed_disk": disks.price_managed_disk,
    "azurerm_storage_account": storage.price_storage_account,
    "azurerm_log_analytics_workspace": monitor.price_log_analytics_workspace,
    "azurerm_log_analytics_solution": monitor.price_log_analytics_solution,
    "azurerm_key_vault": security.price_key_vault,
    "azurerm_key_vault_key": security.price_key_vault_key,
    "azurerm_container_registry": container_registry.price_container_registry,
}

PRICED_ELSEWHERE: dict[str, str] = {
    "azurerm_storage_management_policy": "priced with its storage account's storage",
    "azurerm_virtual_machine_data_disk_attachment": "priced as its azurerm_managed_disk",
    "azurerm_linux_function_app": "billed through its azurerm_service_plan (Consumption-plan "
    "executions are usage)",
}

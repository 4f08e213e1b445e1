// DHCP and BOOTP (RFC 951, 2131, 2132 and the option RFCs) on UDP 67/68, decoded the way
// Wireshark 4.0's packet-dhcp.c does so field values match tshark.
//   op 0 | htype 1 | hlen 2 | hops 3 | xid 4..8 | secs 8..10 | flags 10..12 | ciaddr 12..16 |
//   yiaddr 16..20 | siaddr 20..24 | giaddr 24..28 | chaddr 28..44 | sname 44..108 | file 108..236 |
//   magic cookie 236..240 (else 64 bytes of BOOTP vendor data) | options ..
// Like Wireshark, a first pass over the options finds the message type (53), overload (52) and
// vendor class (60) without failing on short data; the second pass decodes every option, each one
// bounded to its own length.
import { Base, FT, registerExperts, registerProtocol } from "../fields.js";
import { udpPorts } from "../dispatch.js";
import type { Packet } from "../packet.js";
import { MALFORMED, type Tree } from "../tree.js";
import { etherStringAt, hex2, ipv4StringAt } from "../format.js";
import { macNameAt } from "../mac-names.js";
import { putMac, putU16, putU32, type Layer } from "../build.js";
import { asciiString, nameText, timeSecsText, utf8String, walkName } from "./dns.js";
import {
  AGENT_SUBOPTS, ARP_HRD, AUTH_PROTOCOLS, AUTH_RDM, AUTOCONF, BASIC_OPTIONS, BULK_STATES, CIVIC_WHAT, CLIENT_ARCH,
  CL_ADDRESS_MODE, DUID_TYPES, MSG_TYPES, NBNS_NODE_TYPES, OPS, OPTIONS, OVERLOAD, OptKind, RDNSS_PREF, SIP_ENC, SLPDA,
  SLP_SCOPE, TFS_BROADCAST,
} from "./dhcp-options.js";

const OP = 0, HTYPE = 1, HLEN = 2, HOPS = 3, XID = 4, SECS = 8, FLAGS = 10, CIADDR = 12, YIADDR = 16, SIADDR = 20,
  GIADDR = 24, CHADDR = 28, SNAME = 44, SNAME_LEN = 64, FILE = 108, FILE_LEN = 128, VENDOR = 236;

const MAGIC_COOKIE = 0x63825363;
const BOOTREQUEST = 1, BOOTREPLY = 2;
const ARPHRD_ETHER = 1, ARPHRD_IEEE802 = 6;
const OVERLOAD_FILE = 1, OVERLOAD_SNAME = 2;
const BOOTP_BC = 0x8000;

export const hf = registerProtocol("dhcp", "DHCP/BOOTP", {
    bootp: { abbrev: "dhcp.bootp", name: "Frame is BOOTP", type: FT.BOOLEAN },
    type: { abbrev: "dhcp.type", name: "Message type", type: FT.UINT8, strings: OPS },
    hw_type: { abbrev: "dhcp.hw.type", name: "Hardware type", type: FT.UINT8, base: Base.HEX, strings: ARP_HRD },
    hw_len: { abbrev: "dhcp.hw.len", name: "Hardware address length", type: FT.UINT8 },
    hops: { abbrev: "dhcp.hops", name: "Hops", type: FT.UINT8 },
    id: { abbrev: "dhcp.id", name: "Transaction ID", type: FT.UINT32, base: Base.HEX },
    secs: { abbrev: "dhcp.secs", name: "Seconds elapsed", type: FT.UINT16 },
    flags: { abbrev: "dhcp.flags", name: "Bootp flags", type: FT.UINT16, base: Base.HEX },
    flags_bc: { abbrev: "dhcp.flags.bc", name: "Broadcast flag", type: FT.BOOLEAN, mask: 0x8000, bitWidth: 16, tfs: TFS_BROADCAST },
    flags_reserved: { abbrev: "dhcp.flags.reserved", name: "Reserved flags", type: FT.UINT16, base: Base.HEX, mask: 0x7fff },
    ip_client: { abbrev: "dhcp.ip.client", name: "Client IP address", type: FT.IPV4 },
    ip_your: { abbrev: "dhcp.ip.your", name: "Your (client) IP address", type: FT.IPV4 },
    ip_server: { abbrev: "dhcp.ip.server", name: "Next server IP address", type: FT.IPV4 },
    ip_relay: { abbrev: "dhcp.ip.relay", name: "Relay agent IP address", type: FT.IPV4 },
    hw_addr: { abbrev: "dhcp.hw.addr", name: "Client hardware address", type: FT.BYTES },
    hw_addr_padding: { abbrev: "dhcp.hw.addr_padding", name: "Client hardware address padding", type: FT.BYTES },
    hw_mac_addr: { abbrev: "dhcp.hw.mac_addr", name: "Client MAC address", type: FT.ETHER },
    server: { abbrev: "dhcp.server", name: "Server host name", type: FT.STRING },
    file: { abbrev: "dhcp.file", name: "Boot file name", type: FT.STRING },
    cookie: { abbrev: "dhcp.cookie", name: "Magic cookie", type: FT.IPV4 },
    fqdn_s: { abbrev: "dhcp.fqdn.s", name: "Server", type: FT.BOOLEAN, mask: 0x1, bitWidth: 8, tfs: ["Server", "Client"] },
    fqdn_o: { abbrev: "dhcp.fqdn.o", name: "Server overrides", type: FT.BOOLEAN, mask: 0x2, bitWidth: 8, tfs: ["Override", "No override"] },
    fqdn_e: { abbrev: "dhcp.fqdn.e", name: "Encoding", type: FT.BOOLEAN, mask: 0x4, bitWidth: 8, tfs: ["Binary encoding", "ASCII encoding"] },
    fqdn_n: { abbrev: "dhcp.fqdn.n", name: "Server DDNS", type: FT.BOOLEAN, mask: 0x8, bitWidth: 8, tfs: ["No server updates", "Some server updates"] },
    fqdn_flags: { abbrev: "dhcp.fqdn.flags", name: "Flags", type: FT.UINT8, base: Base.HEX },
    fqdn_mbz: { abbrev: "dhcp.fqdn.mbz", name: "Reserved flags", type: FT.UINT8, base: Base.HEX, mask: 0xf0 },
    fqdn_rcode1: { abbrev: "dhcp.fqdn.rcode1", name: "A-RR result", type: FT.UINT8 },
    fqdn_rcode2: { abbrev: "dhcp.fqdn.rcode2", name: "PTR-RR result", type: FT.UINT8 },
    client_hardware_address: { abbrev: "dhcp.client_hardware_address", name: "Client hardware address", type: FT.STRING },
    client_id_iaid: { abbrev: "dhcp.client_id.iaid", name: "IAID", type: FT.STRING },
    client_id_duid_type: { abbrev: "dhcp.client_id.duid_type", name: "DUID Type", type: FT.UINT16, strings: DUID_TYPES },
    client_id_duid_llt_hw_type: { abbrev: "dhcp.client_id.duid_llt_hw_type", name: "Hardware type", type: FT.UINT16, strings: ARP_HRD },
    client_id_duid_ll_hw_type: { abbrev: "dhcp.client_id.duid_ll_hw_type", name: "Hardware type", type: FT.UINT16, strings: ARP_HRD },
    client_id_time: { abbrev: "dhcp.client_id.time", name: "Time", type: FT.UINT32 },
    client_id_link_layer_address: { abbrev: "dhcp.client_id.link_layer_address", name: "Link layer address", type: FT.STRING },
    client_id_enterprise_num: { abbrev: "dhcp.client_id.enterprise_num", name: "Enterprise-number", type: FT.UINT32 },
    client_id: { abbrev: "dhcp.client_id", name: "Identifier", type: FT.BYTES },
    client_id_type: { abbrev: "dhcp.client_id.type", name: "Type", type: FT.UINT8 },
    client_id_undef: { abbrev: "dhcp.client_id.undef", name: "Client Identifier", type: FT.STRING },
    option_type: { abbrev: "dhcp.option.type", name: "Option", type: FT.UINT8 },
    option_length: { abbrev: "dhcp.option.length", name: "Length", type: FT.UINT8 },
    option_suboption_length: { abbrev: "dhcp.option.suboption_length", name: "Length", type: FT.UINT8 },
    // Hidden in the tree unless empty (then it shows as "Value: <MISSING>"): see option().
    option_value: { abbrev: "dhcp.option.value", name: "Value", type: FT.BYTES },
    option_padding: { abbrev: "dhcp.option.padding", name: "Padding", type: FT.BYTES },
    option_subnet_mask: { abbrev: "dhcp.option.subnet_mask", name: "Subnet Mask", type: FT.IPV4 },
    option_time_offset: { abbrev: "dhcp.option.time_offset", name: "Time Offset", type: FT.INT32 },
    option_router: { abbrev: "dhcp.option.router", name: "Router", type: FT.IPV4 },
    option_time_server: { abbrev: "dhcp.option.time_server", name: "Time Server", type: FT.IPV4 },
    option_name_server: { abbrev: "dhcp.option.name_server", name: "Name Server", type: FT.IPV4 },
    option_domain_name_server: { abbrev: "dhcp.option.domain_name_server", name: "Domain Name Server", type: FT.IPV4 },
    option_log_server: { abbrev: "dhcp.option.log_server", name: "Log Server", type: FT.IPV4 },
    option_quotes_server: { abbrev: "dhcp.option.quotes_server", name: "Quotes Server", type: FT.IPV4 },
    option_lpr_server: { abbrev: "dhcp.option.lpr_server", name: "LPR Server", type: FT.IPV4 },
    option_impress_server: { abbrev: "dhcp.option.impress_server", name: "Impress Server", type: FT.IPV4 },
    option_resource_location_server: { abbrev: "dhcp.option.resource_location_server", name: "Resource Location Server", type: FT.IPV4 },
    option_hostname: { abbrev: "dhcp.option.hostname", name: "Host Name", type: FT.STRING },
    option_boot_file_size: { abbrev: "dhcp.option.boot_file_size", name: "Boot File Size", type: FT.UINT16 },
    option_merit_dump_file: { abbrev: "dhcp.option.merit_dump_file", name: "Merit Dump File", type: FT.STRING },
    option_domain_name: { abbrev: "dhcp.option.domain_name", name: "Domain Name", type: FT.STRING },
    option_swap_server: { abbrev: "dhcp.option.swap_server", name: "Swap Server", type: FT.IPV4 },
    option_root_path: { abbrev: "dhcp.option.root_path", name: "Root Path", type: FT.STRING },
    option_extension_path: { abbrev: "dhcp.option.extension_path", name: "Extensions Path", type: FT.STRING },
    option_ip_forwarding: { abbrev: "dhcp.option.ip_forwarding", name: "IP Forwarding", type: FT.BOOLEAN, tfs: ["Enabled", "Disabled"] },
    option_policy_filter_ip: { abbrev: "dhcp.option.policy_filter.ip", name: "IP Address", type: FT.IPV4 },
    option_policy_filter_subnet_mask: { abbrev: "dhcp.option.policy_filter.subnet_mask", name: "Subnet Mask", type: FT.IPV4 },
    option_non_local_source_routing: { abbrev: "dhcp.option.non_local_source_routing", name: "Non-Local Source Routing", type: FT.BOOLEAN, tfs: ["Enabled", "Disabled"] },
    option_max_datagram_reassembly_size: { abbrev: "dhcp.option.max_datagram_reassembly_size", name: "Maximum Datagram Reassembly Size", type: FT.UINT16 },
    option_default_ip_ttl: { abbrev: "dhcp.option.default_ip_ttl", name: "Default IP Time-to-Live", type: FT.UINT8 },
    option_path_mtu_aging_timeout: { abbrev: "dhcp.option.path_mtu_aging_timeout", name: "Path MTU Aging Timeout", type: FT.UINT32 },
    option_path_mtu_plateau_table_item: { abbrev: "dhcp.option.path_mtu_plateau_table_item", name: "Path MTU Plateau Table Item", type: FT.UINT16 },
    option_interface_mtu: { abbrev: "dhcp.option.interface_mtu", name: "Interface MTU", type: FT.UINT16 },
    option_all_subnets_are_local: { abbrev: "dhcp.option.all_subnets_are_local", name: "All Subnets are Local", type: FT.BOOLEAN, tfs: ["Yes", "No"] },
    option_broadcast_address: { abbrev: "dhcp.option.broadcast_address", name: "Broadcast Address", type: FT.IPV4 },
    option_perform_mask_discovery: { abbrev: "dhcp.option.perform_mask_discovery", name: "Perform Mask Discovery", type: FT.BOOLEAN, tfs: ["Enabled", "Disabled"] },
    option_mask_supplier: { abbrev: "dhcp.option.mask_supplier", name: "Mask Supplier", type: FT.BOOLEAN, tfs: ["Yes", "No"] },
    option_perform_router_discover: { abbrev: "dhcp.option.perform_router_discover", name: "Perform Router Discover", type: FT.BOOLEAN, tfs: ["Enabled", "Disabled"] },
    option_router_solicitation_address: { abbrev: "dhcp.option.router_solicitation_address", name: "Router Solicitation Address", type: FT.IPV4 },
    option_static_route_ip: { abbrev: "dhcp.option.static_route.ip", name: "Destination IP Address", type: FT.IPV4 },
    option_static_route_router: { abbrev: "dhcp.option.static_route.router", name: "Destination Router", type: FT.IPV4 },
    option_trailer_encapsulation: { abbrev: "dhcp.option.trailer_encapsulation", name: "Trailer Encapsulation", type: FT.BOOLEAN, tfs: ["Enabled", "Disabled"] },
    option_arp_cache_timeout: { abbrev: "dhcp.option.arp_cache_timeout", name: "ARP Cache Timeout", type: FT.UINT32 },
    option_ethernet_encapsulation: { abbrev: "dhcp.option.ethernet_encapsulation", name: "Ethernet Encapsulation", type: FT.BOOLEAN, tfs: ["Enabled", "Disabled"] },
    option_tcp_default_ttl: { abbrev: "dhcp.option.tcp_default_ttl", name: "TCP Default TTL", type: FT.UINT8 },
    option_tcp_keepalive_interval: { abbrev: "dhcp.option.tcp_keepalive_interval", name: "TCP Keepalive Interval", type: FT.UINT32 },
    option_tcp_keepalive_garbage: { abbrev: "dhcp.option.tcp_keepalive_garbage", name: "TCP Keepalive Garbage", type: FT.BOOLEAN, tfs: ["Enabled", "Disabled"] },
    option_nis_domain: { abbrev: "dhcp.option.nis_domain", name: "Network Information Service Domain", type: FT.STRING },
    option_nis_server: { abbrev: "dhcp.option.nis_server", name: "Network Information Service Server", type: FT.IPV4 },
    option_ntp_server: { abbrev: "dhcp.option.ntp_server", name: "Network Time Protocol Server", type: FT.IPV4 },
    option_vendor_value: { abbrev: "dhcp.option.vendor.value", name: "Value", type: FT.BYTES },
    option_netbios_over_tcpip_name_server: { abbrev: "dhcp.option.netbios_over_tcpip_name_server", name: "NetBIOS over TCP/IP Name Server", type: FT.IPV4 },
    option_netbios_over_tcpip_dd_name_server: { abbrev: "dhcp.option.netbios_over_tcpip_dd_name_server", name: "NetBIOS over TCP/IP Datagram Distribution Name Server", type: FT.IPV4 },
    option_netbios_over_tcpip_node_type: { abbrev: "dhcp.option.netbios_over_tcpip_node_type", name: "NetBIOS over TCP/IP Node Type", type: FT.UINT8, strings: NBNS_NODE_TYPES },
    option_netbios_over_tcpip_scope: { abbrev: "dhcp.option.netbios_over_tcpip_scope", name: "NetBIOS over TCP/IP Scope", type: FT.STRING },
    option_xwindows_system_font_server: { abbrev: "dhcp.option.xwindows_system_font_server", name: "X Window System Font Server", type: FT.IPV4 },
    option_xwindows_system_display_manager: { abbrev: "dhcp.option.xwindows_system_display_manager", name: "X Window System Display Manager", type: FT.IPV4 },
    option_requested_ip_address: { abbrev: "dhcp.option.requested_ip_address", name: "Requested IP Address", type: FT.IPV4 },
    option_ip_address_lease_time: { abbrev: "dhcp.option.ip_address_lease_time", name: "IP Address Lease Time", type: FT.UINT32 },
    option_option_overload: { abbrev: "dhcp.option.option_overload", name: "Option Overload", type: FT.UINT8, strings: OVERLOAD },
    option_dhcp: { abbrev: "dhcp.option.dhcp", name: "DHCP", type: FT.UINT8, strings: MSG_TYPES },
    option_dhcp_server_id: { abbrev: "dhcp.option.dhcp_server_id", name: "DHCP Server Identifier", type: FT.IPV4 },
    option_request_list_item: { abbrev: "dhcp.option.request_list_item", name: "Parameter Request List Item", type: FT.UINT8 },
    option_message: { abbrev: "dhcp.option.message", name: "Message", type: FT.STRING },
    option_dhcp_max_message_size: { abbrev: "dhcp.option.dhcp_max_message_size", name: "Maximum DHCP Message Size", type: FT.UINT16 },
    option_renewal_time_value: { abbrev: "dhcp.option.renewal_time_value", name: "Renewal Time Value", type: FT.UINT32 },
    option_rebinding_time_value: { abbrev: "dhcp.option.rebinding_time_value", name: "Rebinding Time Value", type: FT.UINT32 },
    option_vendor_class_id: { abbrev: "dhcp.option.vendor_class_id", name: "Vendor class identifier", type: FT.STRING },
    option_vendor_class_data: { abbrev: "dhcp.option.vendor_class_data", name: "vendor-class-data", type: FT.STRING },
    option_novell_netware_ip_domain: { abbrev: "dhcp.option.novell_netware_ip_domain", name: "Novell/Netware IP domain", type: FT.STRING },
    option_nis_plus_domain: { abbrev: "dhcp.option.nis_plus_domain", name: "Network Information Service+ Domain", type: FT.STRING },
    option_nis_plus_server: { abbrev: "dhcp.option.nis_plus_server", name: "Network Information Service+ Server", type: FT.IPV4 },
    option_tftp_server_name: { abbrev: "dhcp.option.tftp_server_name", name: "TFTP Server Name", type: FT.STRING },
    option_bootfile_name: { abbrev: "dhcp.option.bootfile_name", name: "Bootfile name", type: FT.STRING },
    option_mobile_ip_home_agent: { abbrev: "dhcp.option.mobile_ip_home_agent", name: "Mobile IP Home Agent", type: FT.IPV4 },
    option_smtp_server: { abbrev: "dhcp.option.smtp_server", name: "SMTP Server", type: FT.IPV4 },
    option_pop3_server: { abbrev: "dhcp.option.pop3_server", name: "POP3 Server", type: FT.IPV4 },
    option_nntp_server: { abbrev: "dhcp.option.nntp_server", name: "NNTP Server", type: FT.IPV4 },
    option_default_www_server: { abbrev: "dhcp.option.default_www_server", name: "Default WWW Server", type: FT.IPV4 },
    option_default_finger_server: { abbrev: "dhcp.option.default_finger_server", name: "Default Finger Server", type: FT.IPV4 },
    option_default_irc_server: { abbrev: "dhcp.option.default_irc_server", name: "Default IRC Server", type: FT.IPV4 },
    option_streettalk_server: { abbrev: "dhcp.option.streettalk_server", name: "StreetTalk Server", type: FT.IPV4 },
    option_streettalk_da_server: { abbrev: "dhcp.option.streettalk_da_server", name: "StreetTalk Directory Assistance Server", type: FT.IPV4 },
    option_user_class: { abbrev: "dhcp.option.user_class", name: "Instance of User Class", type: FT.UINT8 },
    option_user_class_length: { abbrev: "dhcp.option.user_class.length", name: "User Class Length", type: FT.UINT8 },
    option_user_class_data: { abbrev: "dhcp.option.user_class.data", name: "User Class Data", type: FT.BYTES },
    option_user_class_text: { abbrev: "dhcp.option.user_class.text", name: "User Class Data (Text)", type: FT.STRING },
    option_slp_directory_agent_value: { abbrev: "dhcp.option.slp_directory_agent.value", name: "Value", type: FT.UINT8, strings: SLPDA },
    option_slp_directory_agent_slpda_address: { abbrev: "dhcp.option.slp_directory_agent.slpda_address", name: "IP Address", type: FT.IPV4 },
    option_slp_service_scope_value: { abbrev: "dhcp.option.slp_service_scope.value", name: "Value", type: FT.UINT8, strings: SLP_SCOPE },
    option_slp_service_scope_string: { abbrev: "dhcp.option.slp_service_scope.string", name: "SLP Service Scope", type: FT.STRING },
    option_agent_information_option_suboption: { abbrev: "dhcp.option.agent_information_option.suboption", name: "Option 82 Suboption", type: FT.UINT8, strings: AGENT_SUBOPTS },
    option_agent_information_option_value: { abbrev: "dhcp.option.agent_information_option.value", name: "Value", type: FT.BYTES },
    option_agent_information_option_padding: { abbrev: "dhcp.option.agent_information_option.padding", name: "Padding", type: FT.UINT8 },
    option_agent_information_option_agent_circuit_id: { abbrev: "dhcp.option.agent_information_option.agent_circuit_id", name: "Agent Circuit ID", type: FT.BYTES },
    option_agent_information_option_agent_remote_id: { abbrev: "dhcp.option.agent_information_option.agent_remote_id", name: "Agent Remote ID", type: FT.BYTES },
    option_agent_information_option_reserved: { abbrev: "dhcp.option.agent_information_option.reserved", name: "Reserved", type: FT.BYTES },
    option_agent_information_option_docsis_device_class: { abbrev: "dhcp.option.agent_information_option.docsis_device_class", name: "DOCSIS Device Class", type: FT.UINT32, base: Base.HEX },
    option_agent_information_option_link_selection: { abbrev: "dhcp.option.agent_information_option.link_selection", name: "Link selection", type: FT.IPV4 },
    option_agent_information_option_subscriber_id: { abbrev: "dhcp.option.agent_information_option.subscriber_id", name: "Subscriber ID", type: FT.STRING },
    option_agent_information_option_radius_attributes: { abbrev: "dhcp.option.agent_information_option.radius_attributes", name: "RADIUS Attributes", type: FT.BYTES },
    option_agent_information_option_authentication: { abbrev: "dhcp.option.agent_information_option.authentication", name: "Authentication", type: FT.BYTES },
    option_agent_information_option_flags: { abbrev: "dhcp.option.agent_information_option.flags", name: "Flags", type: FT.UINT8, base: Base.HEX },
    option_agent_information_option_server_id_override: { abbrev: "dhcp.option.agent_information_option.server_id_override", name: "Server ID Override", type: FT.IPV4 },
    option_agent_information_option_relay_agent_id: { abbrev: "dhcp.option.agent_information_option.relay_agent_id", name: "Relay Agent Identifier", type: FT.BYTES },
    option_agent_information_option_source_port: { abbrev: "dhcp.option.agent_information_option.source_port", name: "Source Port", type: FT.NONE },
    option_agent_information_option_link_selection_cisco: { abbrev: "dhcp.option.agent_information_option.link_selection_cisco", name: "Link selection (Cisco proprietary)", type: FT.IPV4 },
    option_agent_information_option_server_id_override_cisco: { abbrev: "dhcp.option.agent_information_option.server_id_override_cisco", name: "Server ID Override (Cisco proprietary)", type: FT.IPV4 },
    option_novell_dss_string: { abbrev: "dhcp.option.novell_dss.string", name: "Novell Directory Services Servers String", type: FT.STRING },
    option_novell_dss_ip: { abbrev: "dhcp.option.novell_dss.ip", name: "IP Address", type: FT.IPV4 },
    option_novell_ds_tree_name: { abbrev: "dhcp.option.novell_ds_tree_name", name: "Novell Directory Services Tree Name", type: FT.STRING },
    option_novell_ds_context: { abbrev: "dhcp.option.novell_ds_context", name: "Novell Directory Services Context", type: FT.STRING },
    option_dhcp_authentication_protocol: { abbrev: "dhcp.option.dhcp_authentication.protocol", name: "Protocol", type: FT.UINT8, strings: AUTH_PROTOCOLS },
    option_dhcp_authentication_alg_delay: { abbrev: "dhcp.option.dhcp_authentication.alg_delay", name: "Delay Algorithm", type: FT.UINT8 },
    option_dhcp_authentication_algorithm: { abbrev: "dhcp.option.dhcp_authentication.algorithm", name: "Algorithm", type: FT.UINT8 },
    option_dhcp_authentication_rdm: { abbrev: "dhcp.option.dhcp_authentication.rdm", name: "Replay Detection Method", type: FT.UINT8, strings: AUTH_RDM },
    option_dhcp_authentication_rdm_rdv: { abbrev: "dhcp.option.dhcp_authentication.rdm_rdv", name: "Replay Detection Value", type: FT.STRING },
    option_dhcp_authentication_secret_id: { abbrev: "dhcp.option.dhcp_authentication.secret_id", name: "Secret ID", type: FT.UINT32, base: Base.HEX },
    option_dhcp_authentication_hmac_md5_hash: { abbrev: "dhcp.option.dhcp_authentication.hmac_md5_hash", name: "HMAC MD5 Hash", type: FT.BYTES },
    option_dhcp_authentication_information: { abbrev: "dhcp.option.dhcp_authentication.information", name: "Authentication Information", type: FT.STRING },
    option_client_last_transaction_time: { abbrev: "dhcp.option.client_last_transaction_time", name: "Client last transaction time", type: FT.UINT32 },
    option_associated_ip_option: { abbrev: "dhcp.option.associated_ip_option", name: "Associated IP option", type: FT.IPV4 },
    option_client_system_architecture: { abbrev: "dhcp.option.client_system_architecture", name: "Client System Architecture", type: FT.UINT16, strings: CLIENT_ARCH },
    client_network_id_major: { abbrev: "dhcp.client_network_id_major", name: "Major Version", type: FT.UINT8 },
    client_network_id_minor: { abbrev: "dhcp.client_network_id_minor", name: "Minor Version", type: FT.UINT8 },
    option_civic_location_what: { abbrev: "dhcp.option.civic_location.what", name: "What", type: FT.UINT8, strings: CIVIC_WHAT },
    option_civic_location_country: { abbrev: "dhcp.option.civic_location.country", name: "Country", type: FT.STRING },
    option_civic_location_ca_type: { abbrev: "dhcp.option.civic_location.ca_type", name: "CA Type", type: FT.UINT8 },
    option_civic_location_ca_length: { abbrev: "dhcp.option.civic_location.ca_length", name: "CA Length", type: FT.UINT8 },
    option_civic_location_ca_value: { abbrev: "dhcp.option.civic_location.ca_value", name: "CA Value", type: FT.STRING },
    option_tz_pcode: { abbrev: "dhcp.option.tz_pcode", name: "TZ PCode", type: FT.STRING },
    option_tz_tcode: { abbrev: "dhcp.option.tz_tcode", name: "TZ TCode", type: FT.STRING },
    option_netinfo_parent_server_address: { abbrev: "dhcp.option.netinfo_parent_server_address", name: "NetInfo Parent Server Address", type: FT.IPV4 },
    option_netinfo_parent_server_tag: { abbrev: "dhcp.option.netinfo_parent_server_tag", name: "NetInfo Parent Server Tag", type: FT.STRING },
    option_dhcp_auto_configuration: { abbrev: "dhcp.option.dhcp_auto_configuration", name: "DHCP Auto-Configuration", type: FT.UINT8, strings: AUTOCONF },
    option_dhcp_name_service_search_option: { abbrev: "dhcp.option.dhcp_name_service_search_option", name: "Name Service", type: FT.STRING },
    option_dhcp_dns_domain_search_list_rfc_3396_detected: { abbrev: "dhcp.option.dhcp_dns_domain_search_list_rfc_3396_detected", name: "Encoding Long Options detected (RFC 3396)", type: FT.STRING },
    option_dhcp_dns_domain_search_list_refer_last_option: { abbrev: "dhcp.option.dhcp_dns_domain_search_list_refer_last_option", name: "For the data, please refer to last option 119", type: FT.STRING },
    option_dhcp_dns_domain_search_list_fqdn: { abbrev: "dhcp.option.dhcp_dns_domain_search_list_fqdn", name: "FQDN", type: FT.STRING },
    option_sip_server_rfc_3396_detected: { abbrev: "dhcp.option.sip_server.rfc_3396_detected", name: "Encoding Long Options detected (RFC 3396)", type: FT.STRING },
    option_sip_server_refer_last_option: { abbrev: "dhcp.option.sip_server.refer_last_option", name: "For the data, please refer to last option 120", type: FT.STRING },
    option_sip_server_encoding: { abbrev: "dhcp.option.sip_server.encoding", name: "SIP Server Encoding", type: FT.UINT8, strings: SIP_ENC },
    option_sip_server_name: { abbrev: "dhcp.option.sip_server.name", name: "SIP Server Name", type: FT.STRING },
    option_sip_server_address: { abbrev: "dhcp.option.sip_server.address", name: "SIP Server Address", type: FT.IPV4 },
    option_classless_static_route: { abbrev: "dhcp.option.classless_static_route", name: "Subnet/MaskWidth-Router", type: FT.BYTES },
    option_vi_class_cl_address_mode: { abbrev: "dhcp.option.vi_class.cl_address_mode", name: "CableLab Address Mode", type: FT.UINT8, strings: CL_ADDRESS_MODE },
    option_vi_class_enterprise: { abbrev: "dhcp.option.vi_class.enterprise", name: "Enterprise", type: FT.UINT32 },
    option_vi_class_length: { abbrev: "dhcp.option.vi_class.length", name: "CableLab Address Mode", type: FT.UINT8 },
    option_vi_class_data: { abbrev: "dhcp.option.vi_class.data", name: "NetInfo Parent Server Tag", type: FT.STRING },
    option_vi_enterprise: { abbrev: "dhcp.option.vi.enterprise", name: "Enterprise", type: FT.UINT32 },
    option_vi_length: { abbrev: "dhcp.option.vi.length", name: "Length", type: FT.UINT8 },
    option_vi_value: { abbrev: "dhcp.option.vi.value", name: "Value", type: FT.BYTES },
    option_subnet_selection_option: { abbrev: "dhcp.option.subnet_selection_option", name: "Subnet Selection Option", type: FT.IPV4 },
    option_pana_agent: { abbrev: "dhcp.option.pana_agent", name: "PAA IPv4 Address", type: FT.IPV4 },
    option_lost_server_domain_name: { abbrev: "dhcp.option.lost_server_domain_name", name: "LoST Server Domain Name", type: FT.STRING },
    option_capwap_access_controller: { abbrev: "dhcp.option.capwap_access_controller", name: "CAPWAP Access Controllers", type: FT.IPV4 },
    option_andsf_server: { abbrev: "dhcp.option.andsf_server", name: "ANDSF Server", type: FT.IPV4 },
    option_forcerenew_nonce_algorithm: { abbrev: "dhcp.option.forcerenew_nonce.algorithm", name: "Algorithm", type: FT.UINT8 },
    option_rdnss_reserved: { abbrev: "dhcp.option.rdnss.reserved", name: "Reserved", type: FT.UINT8, base: Base.HEX, mask: 0xfc },
    option_rdnss_preference: { abbrev: "dhcp.option.rdnss.preference", name: "Preference", type: FT.UINT8, mask: 0x3, strings: RDNSS_PREF },
    option_rdnss_primary_dns: { abbrev: "dhcp.option.rdnss.primary_dns", name: "Primary DNS", type: FT.IPV4 },
    option_rdnss_secondary_dns: { abbrev: "dhcp.option.rdnss.secondary_dns", name: "Secondary DNS", type: FT.IPV4 },
    option_rdnss_domain: { abbrev: "dhcp.option.rdnss.domain", name: "Domains and networks", type: FT.STRING },
    option_tftp_server_address: { abbrev: "dhcp.option.tftp_server_address", name: "TFTP Server Address", type: FT.IPV4 },
    option_bulk_lease_start_time_of_state: { abbrev: "dhcp.option.bulk_lease.start_time_of_state", name: "Start Time Of State", type: FT.UINT32 },
    option_bulk_lease_dhcp_state: { abbrev: "dhcp.option.bulk_lease.dhcp_state", name: "Dhcp State", type: FT.UINT8, strings: BULK_STATES },
    option_bulk_lease_data_source: { abbrev: "dhcp.option.bulk_lease.data_source", name: "Data Source", type: FT.BOOLEAN, tfs: ["Remote", "Local"] },
    option_pcp_list_length: { abbrev: "dhcp.option.pcp.list_length", name: "List-Length", type: FT.UINT8 },
    option_pcp_server: { abbrev: "dhcp.option.pcp.server", name: "PCP Server", type: FT.IPV4 },
    option_portparams_offset: { abbrev: "dhcp.option.portparams.offset", name: "Offset", type: FT.UINT8 },
    option_portparams_psid_length: { abbrev: "dhcp.option.portparams.psid_length", name: "PSID-Length", type: FT.UINT8 },
    option_portparams_psid: { abbrev: "dhcp.option.portparams.psid", name: "PSID", type: FT.BYTES },
    option_mudurl: { abbrev: "dhcp.option.mudurl", name: "MUDURL", type: FT.STRING },
    option_pxe_config_file: { abbrev: "dhcp.option.pxe_config_file", name: "PXELINUX configuration file", type: FT.STRING },
    option_pxe_path_prefix: { abbrev: "dhcp.option.pxe_path_prefix", name: "PXELINUX path prefix", type: FT.STRING },
    option_captive_portal: { abbrev: "dhcp.option.captive_portal", name: "Captive Portal", type: FT.STRING },
    option_6RD_ipv4_mask_len: { abbrev: "dhcp.option.6RD.ipv4_mask_len", name: "6RD IPv4 Mask Length", type: FT.UINT8 },
    option_6RD_prefix_len: { abbrev: "dhcp.option.6RD.prefix_len", name: "6RD Prefix Length", type: FT.UINT8 },
    option_6RD_prefix: { abbrev: "dhcp.option.6RD.prefix", name: "6RD Prefix", type: FT.IPV6 },
    option_6RD_border_relay_ip: { abbrev: "dhcp.option.6RD.border_relay_ip", name: "Border Relay IP", type: FT.IPV4 },
    option_private_proxy_autodiscovery: { abbrev: "dhcp.option.private_proxy_autodiscovery", name: "Private/Proxy autodiscovery", type: FT.STRING },
    option_end: { abbrev: "dhcp.option.end", name: "Option End", type: FT.UINT8 },
    fqdn_name: { abbrev: "dhcp.fqdn.name", name: "Client name", type: FT.STRING },
    vendor_specific_options: { abbrev: "dhcp.vendor_specific_options", name: "Bootp vendor specific options", type: FT.BYTES },
    option_agent_information_option_vi_enterprise: { abbrev: "dhcp.option.agent_information_option.vi.enterprise", name: "Enterprise", type: FT.UINT32 },
    option_agent_information_option_vi_data_length: { abbrev: "dhcp.option.agent_information_option.vi.data_length", name: "Data Length", type: FT.UINT8 },
    option_agent_information_option_vrf_name_global: { abbrev: "dhcp.option.agent_information_option.vrf_name.global", name: "Global, default VPN", type: FT.UINT8 },
    option_agent_information_option_vrf_name: { abbrev: "dhcp.option.agent_information_option.vrf_name", name: "VRF name", type: FT.STRING },
    option_agent_information_option_vrf_name_vpn_id_oui: { abbrev: "dhcp.option.agent_information_option.vrf_name.vpn_id.oui", name: "VRF name/VPN ID OUI", type: FT.UINT24, base: Base.HEX },
    option_agent_information_option_vrf_name_vpn_id_index: { abbrev: "dhcp.option.agent_information_option.vrf_name.vpn_id.index", name: "VRF name/VPN ID Index", type: FT.UINT32, base: Base.HEX },
    vendor_suboption: { abbrev: "dhcp.vendor.suboption", name: "Option 125 Suboption", type: FT.UINT8 },
    option_novell_options_suboption: { abbrev: "dhcp.option.novell_options.suboption", name: "Option 63 Suboption", type: FT.UINT8 },
    option_novell_options_value: { abbrev: "dhcp.option.novell_options.value", name: "Value", type: FT.BYTES, hidden: true },
    option_novell_options_broadcast: { abbrev: "dhcp.option.novell_options.broadcast", name: "Broadcast for nearest Netware server", type: FT.BOOLEAN },
    option_novell_options_preferred_dss_server: { abbrev: "dhcp.option.novell_options.preferred_dss_server", name: "Preferred DSS server", type: FT.IPV4 },
    option_novell_options_nearest_nwip_server: { abbrev: "dhcp.option.novell_options.nearest_nwip_server", name: "Nearest NWIP server", type: FT.IPV4 },
    option_novell_options_autoretries: { abbrev: "dhcp.option.novell_options.autoretries", name: "Autoretries", type: FT.UINT8 },
    option_novell_options_autoretry_delay: { abbrev: "dhcp.option.novell_options.autoretry_delay", name: "Autoretry delay, sec", type: FT.UINT8 },
    option_novell_options_support_netware_v1_1: { abbrev: "dhcp.option.novell_options.support_netware_v1_1", name: "Broadcast for nearest Netware server", type: FT.BOOLEAN },
    option_novell_options_primary_dss: { abbrev: "dhcp.option.novell_options.primary_dss", name: "Primary DSS", type: FT.IPV4 },
    option_vi_cl_suboption: { abbrev: "dhcp.option.vi.cl.suboption", name: "Option 125 Suboption", type: FT.UINT8 },
    option_vi_cl_option_request: { abbrev: "dhcp.option.vi.cl.option_request", name: "Option Request", type: FT.STRING },
    option_vi_cl_tftp_server_addresses: { abbrev: "dhcp.option.vi.cl.tftp_server_addresses", name: "TFTP Server Addresses", type: FT.IPV4 },
    option_vi_cl_erouter_container_option: { abbrev: "dhcp.option.vi.cl.erouter_container_option", name: "eRouter Container Option", type: FT.BYTES },
    option_vi_cl_modem_capabilities: { abbrev: "dhcp.option.vi.cl.modem_capabilities", name: "Modem Capabilities", type: FT.BYTES },
    option_vi_tr111_suboption: { abbrev: "dhcp.option.vi.tr111.suboption", name: "Option 125 Suboption", type: FT.UINT8 },
    option_vi_tr111_device_manufacturer_oui: { abbrev: "dhcp.option.vi.tr111.device_manufacturer_oui", name: "DeviceManufacturerOUI", type: FT.UINT24 },
    option_vi_tr111_device_serial_number: { abbrev: "dhcp.option.vi.tr111.device_serial_number", name: "DeviceSerialNumber", type: FT.STRING },
    option_vi_tr111_device_product_class: { abbrev: "dhcp.option.vi.tr111.device_product_class", name: "DeviceProductClass", type: FT.STRING },
    option_vi_tr111_gateway_manufacturer_oui: { abbrev: "dhcp.option.vi.tr111.gateway_manufacturer_oui", name: "GatewayManufacturerOUI", type: FT.STRING },
    option_vi_tr111_gateway_serial_number: { abbrev: "dhcp.option.vi.tr111.gateway_serial_number", name: "GatewaySerialNumber", type: FT.STRING },
    option_vi_tr111_gateway_product_class: { abbrev: "dhcp.option.vi.tr111.gateway_product_class", name: "GatewayProductClass", type: FT.STRING },
    vendor_data: { abbrev: "dhcp.vendor.data", name: "Data", type: FT.BYTES },
});

export const ei = registerExperts(hf.proto, {
  bad_length: { abbrev: "dhcp.bad_length", group: "protocol", severity: "error", summary: "length isn't 0" },
  missing_subopt_length: { abbrev: "dhcp.missing_subopt_length", group: "protocol", severity: "error", summary: "no room left in option for suboption length" },
  missing_subopt_value: { abbrev: "dhcp.missing_subopt_value", group: "protocol", severity: "error", summary: "no room left in option for suboption value" },
  malformed_duid: { abbrev: "dhcp.malformed.duid", group: "protocol", severity: "error", summary: "DUID: malformed option" },
  file_end_missing: { abbrev: "dhcp.option.option_overload.file_end_missing", group: "protocol", severity: "error", summary: "file overload end option missing" },
  sname_end_missing: { abbrev: "dhcp.option.option_overload.sname_end_missing", group: "protocol", severity: "error", summary: "sname overload end option missing" },
  subopt_unknown_type: { abbrev: "dhcp.subopt.unknown_type", group: "protocol", severity: "error", summary: "ERROR, please report: Unknown subopt type handler" },
  civic_bad_cattype: { abbrev: "dhcp.option.civic_location.bad_cattype", group: "protocol", severity: "error", summary: "Error with CAType" },
  name_service_invalid: { abbrev: "dhcp.option.dhcp_name_service.invalid", group: "protocol", severity: "error", summary: "Invalid Name Service" },
  sip_encoding: { abbrev: "dhcp.option.sip_server_address.encoding", group: "protocol", severity: "error", summary: "RFC 3361 defines only 0 and 1 for Encoding byte" },
  classless_route: { abbrev: "dhcp.option.classless_static.route", group: "protocol", severity: "error", summary: "Mask width > 32" },
  sixrd_malformed: { abbrev: "dhcp.option.6RD.malformed", group: "protocol", severity: "error", summary: "6RD: malformed option" },
  nonstd_data: { abbrev: "dhcp.option.nonstd_data", group: "protocol", severity: "note", summary: "Non standard compliant option data" },
  secs_le: { abbrev: "dhcp.secs_le", group: "protocol", severity: "note", summary: "Seconds elapsed appears to be encoded as little-endian" },
  end_option_missing: { abbrev: "dhcp.end_option_missing", group: "protocol", severity: "error", summary: "End option missing" },
  client_address_not_given: { abbrev: "dhcp.client_address_not_given", group: "protocol", severity: "note", summary: "Client address not given" },
  sname_overloaded: { abbrev: "dhcp.server_name_overloaded_by_dhcp", group: "protocol", severity: "note", summary: "Server name option overloaded by DHCP" },
  file_overloaded: { abbrev: "dhcp.boot_filename_overloaded_by_dhcp", group: "protocol", severity: "note", summary: "Boot file name option overloaded by DHCP" },
  arch_ambiguous: { abbrev: "dhcp.option.client_architecture.ambiguous", group: "protocol", severity: "warn", summary: "Client Architecture ID may be ambiguous" },
});

type F = typeof hf.option_value;

/** Field handle of a basic option by key (the table in dhcp-options.ts names fields by key). */
const FIELD_BY_KEY = hf as unknown as Record<string, F | undefined>;

function u16(d: Uint8Array, o: number): number {
  return (d[o]! << 8) | d[o + 1]!;
}

function u32(d: Uint8Array, o: number): number {
  return ((d[o]! << 24) >>> 0) + (d[o + 1]! << 16) + (d[o + 2]! << 8) + d[o + 3]!;
}

/** Wireshark's tvb_bytes_to_str(): hex digits, cut to 36 bytes with an ellipsis. */
function bytesText(d: Uint8Array, o: number, n: number): string {
  let s = "";
  const m = n > 36 ? 36 : n;
  for (let i = 0; i < m; i++) s += hex2(d[o + i]!);
  return n > 36 ? s + "\u2026" : s;
}

/** Wireshark's tvb_arphrdaddr_to_str(): a MAC for Ethernet-like hardware, hex otherwise. */
function hwAddrText(d: Uint8Array, o: number, n: number, htype: number): string {
  if (n === 0) return "<No address>";
  if ((htype === ARPHRD_ETHER || htype === ARPHRD_IEEE802) && n === 6) return etherStringAt(d, o);
  return bytesText(d, o, n);
}

function strField(t: Tree, f: F, o: number, len: number, utf8 = false): void {
  if (len < 0) throw MALFORMED;
  if (t.wants(f)) t.str(f, o, len, utf8 ? utf8String(t.d, o, len) : asciiString(t.d, o, len));
  else t.check(o, len);
}

// ---------------------------------------------------------------------------------------------
// The message
// ---------------------------------------------------------------------------------------------

/** Per-message state shared by the option decoders (one message at a time). */
const msg = {
  base: 0,
  dhcpType: null as string | null,
  overload: 0,
  /** Option 119/120 blocks seen in the first pass (RFC 3396 long options) and decoded so far. */
  searchBlocks: 0,
  searchIndex: 0,
  sipBlocks: 0,
  sipIndex: 0,
};

export function dissectDhcp(p: Packet, t: Tree, off: number): void {
  const d = t.d;
  msg.base = off;
  msg.dhcpType = null;
  msg.overload = 0;
  msg.searchBlocks = msg.sipBlocks = 0;
  p.protocol = "BOOTP";
  if (p.wantCols) p.info.clear();

  t.check(off + OP, 1);
  const op = d[off + OP]!;
  t.check(off + HTYPE, 1);
  const htype = d[off + HTYPE]!;
  t.check(off + HLEN, 1);
  const hlen = d[off + HLEN]!;
  if (p.wantCols) {
    if (op === BOOTREQUEST) {
      t.check(off + CHADDR, hlen);
      const a = hwAddrText(d, off + CHADDR, hlen, htype);
      p.info.set((htype === ARPHRD_ETHER || htype === ARPHRD_IEEE802) && hlen === 6 ? `Boot Request from ${a} (${macNameAt(d, off + CHADDR)})` : `Boot Request from ${a}`);
    } else if (op === BOOTREPLY) p.info.set("Boot Reply");
    else p.info.set(`Unknown BOOTP message type (${op})`);
  }

  const hasCookie = t.avail(off + VENDOR, 4) && u32(d, off + VENDOR) === MAGIC_COOKIE;
  const optStart = off + VENDOR + (hasCookie ? 4 : 64);
  const eoff = t.rep;

  t.proto(p, hf.proto, off, Math.max(0, t.cap - off));
  // The item's name until the message type is known (a message cut short keeps it).
  if (t.full) t.label("Dynamic Host Configuration Protocol");

  // First pass: message type, overload and RFC 3396 block counts, reading only what is there.
  let atEnd = false;
  for (let v = optStart; v < eoff && !atEnd;) {
    t.check(v, 1);
    const code = d[v]!;
    if (code === 0) {
      let i = v + 1;
      for (; i < eoff; i++) {
        t.check(i, 1);
        if (d[i] !== 0) break;
      }
      v = i;
      continue;
    }
    if (code === 255) {
      atEnd = true;
      v++;
      continue;
    }
    if (!t.avail(v + 1, 1)) {
      v++;
      continue;
    }
    const optlen = d[v + 1]!;
    if (t.avail(v + 2, optlen)) {
      switch (code) {
        case 52:
          t.check(v + 2, 1);
          msg.overload = d[v + 2]!;
          break;
        case 53: {
          t.check(v + 2, 1);
          const ty = d[v + 2]!;
          msg.dhcpType = MSG_TYPES.get(ty) ?? `Unknown Message Type (0x${hex2(ty)})`;
          break;
        }
        case 119:
          msg.searchBlocks++;
          break;
        case 120:
          msg.sipBlocks++;
          break;
      }
    }
    v += optlen + 2;
  }

  if (msg.dhcpType !== null) {
    p.protocol = "DHCP";
    t.check(off + XID, 4);
    if (p.wantCols) p.info.set(`DHCP ${msg.dhcpType.padEnd(8)} - Transaction ID 0x${u32(d, off + XID).toString(16)}`);
  }
  if (t.full) t.label(msg.dhcpType !== null ? `Dynamic Host Configuration Protocol (${msg.dhcpType})` : "Dynamic Host Configuration Protocol");

  t.uint(hf.type, off + OP, 1, op);
  t.uint(hf.hw_type, off + HTYPE, 1, htype);
  t.uint(hf.hw_len, off + HLEN, 1, hlen);
  t.check(off + HOPS, 1);
  t.uint(hf.hops, off + HOPS, 1, d[off + HOPS]!);
  t.check(off + XID, 4);
  t.uint(hf.id, off + XID, 4, u32(d, off + XID));
  // Windows sends "secs" little-endian; Wireshark shows the LE value when it looks plausible.
  t.check(off + SECS, 2);
  const secsLe = d[off + SECS]! | (d[off + SECS + 1]! << 8);
  if (secsLe > 0 && secsLe <= 0xff) {
    t.uint(hf.secs, off + SECS, 2, secsLe);
    t.expert(p, ei.secs_le, off + SECS, 2);
  } else t.uint(hf.secs, off + SECS, 2, u16(d, off + SECS));
  t.check(off + FLAGS, 2);
  const flags = u16(d, off + FLAGS);
  t.uint(hf.flags, off + FLAGS, 2, flags);
  if (t.full) {
    let lbl = `Bootp flags: 0x${flags.toString(16).padStart(4, "0")}`;
    if (flags & BOOTP_BC) lbl += ", Broadcast flag";
    if (flags & 0x7fff) lbl += `, Reserved flags: 0x${(flags & 0x7fff).toString(16).padStart(4, "0")}`;
    t.label(`${lbl} (${flags & BOOTP_BC ? "Broadcast" : "Unicast"})`);
  }
  t.down();
  t.bool(hf.flags_bc, off + FLAGS, 2, flags);
  t.uint(hf.flags_reserved, off + FLAGS, 2, flags);
  t.up();
  t.ipv4(hf.ip_client, off + CIADDR);
  t.ipv4(hf.ip_your, off + YIADDR);
  t.ipv4(hf.ip_server, off + SIADDR);
  t.ipv4(hf.ip_relay, off + GIADDR);

  if (hlen > 0 && hlen <= 16) {
    if ((htype === ARPHRD_ETHER || htype === ARPHRD_IEEE802) && hlen === 6) t.ether(hf.hw_mac_addr, off + CHADDR);
    else {
      t.bytes(hf.hw_addr, off + CHADDR, 16);
      if (t.full) t.label(`Client hardware address: ${hwAddrText(d, off + CHADDR, hlen, htype)}`);
    }
    if (16 - hlen > 0) t.bytes(hf.hw_addr_padding, off + CHADDR + hlen, 16 - hlen);
  } else t.expert(p, ei.client_address_not_given, off + CHADDR, 16);

  if (msg.overload & OVERLOAD_SNAME) t.expert(p, ei.sname_overloaded, off + SNAME, SNAME_LEN);
  else nameOrNot(t, hf.server, off + SNAME, SNAME_LEN, "Server host name not given");
  if (msg.overload & OVERLOAD_FILE) t.expert(p, ei.file_overloaded, off + FILE, FILE_LEN);
  else nameOrNot(t, hf.file, off + FILE, FILE_LEN, "Boot file name not given");

  if (msg.dhcpType === null) t.num(hf.bootp, 1);
  if (hasCookie) {
    t.ipv4(hf.cookie, off + VENDOR);
    if (t.full) t.label("Magic cookie: DHCP");
  } else t.bytes(hf.vendor_specific_options, off + VENDOR, 64);

  atEnd = false;
  msg.searchIndex = msg.sipIndex = 0;
  let v = optStart;
  const end = { at: false };
  while (v < eoff && !end.at) v += dissectOption(p, t, v, eoff, end, true);
  atEnd = end.at;
  if (msg.dhcpType !== null && !atEnd) t.expert(p, ei.end_option_missing, off, 0);
  if (v < eoff) t.bytes(hf.option_padding, v, eoff - v);
}

/** sname/file: the string when the first byte is set, else an empty value ("... not given"). */
function nameOrNot(t: Tree, f: F, o: number, len: number, notGiven: string): void {
  t.check(o, len);
  if (t.d[o] !== 0) strField(t, f, o, len);
  else {
    t.str(f, o, 0, "");
    if (t.full) t.label(notGiven);
  }
}

/** One option at `v`; returns the bytes it takes. `main` is false inside overloaded sname/file. */
function dissectOption(p: Packet, t: Tree, v: number, eoff: number, end: { at: boolean }, main: boolean): number {
  const d = t.d;
  t.check(v, 1);
  const code = d[v]!;
  if (code === 0) {
    let i = v + 1;
    for (; i < eoff; i++) {
      t.check(i, 1);
      if (d[i] !== 0) break;
    }
    i -= v;
    t.uint(hf.option_type, v, 1, 0);
    if (t.full) t.label("Option: (0) Padding");
    t.down();
    t.bytes(hf.option_padding, v, i);
    t.up();
    return i;
  }
  if (code === 255) {
    t.uint(hf.option_type, v, 1, 0);
    if (t.full) t.label("Option: (255) End");
    t.down();
    t.uint(hf.option_end, v, 1, 255);
    if (t.full) t.label("Option End: 255");
    t.up();
    end.at = true;
    return 1;
  }
  t.check(v + 1, 1);
  const len = d[v + 1]!;
  const info = OPTIONS[code]!;
  t.uint(hf.option_type, v, 1, code);
  if (t.full) t.label(`Option: (${code}) ${info.name}${optionSuffix(t, code, v + 2, len)}`);
  t.down();
  t.uint(hf.option_length, v + 1, 1, len);
  t.bytes(hf.option_value, v + 2, len);
  // tshark shows the (otherwise hidden) value of an empty option, except where the option's
  // decoder reports the length itself.
  if (len !== 0 || code === 81 || code === 121) t.hideLast();
  const o = v + 2;
  t.enter(o + len);
  if (BASIC_OPTIONS.has(code) && code !== 53 && info.kind !== OptKind.SPECIAL) basicType(p, t, info.kind, o, len, info.field ? FIELD_BY_KEY[info.field] : undefined);
  else if (DECODED.has(code)) specialOption(p, t, code, o, len, main);
  else if (t.full) t.text(`Value: ${bytesText(d, o, len)}`, o, len);
  t.leave();
  t.up();
  return len + 2;
}

/** Text Wireshark appends to an option's label: the address of single-address options, the type. */
function optionSuffix(t: Tree, code: number, o: number, len: number): string {
  const info = OPTIONS[code]!;
  if (info.kind === OptKind.IPV4 && BASIC_OPTIONS.has(code) && len === 4 && t.avail(o, 4)) return ` (${ipv4StringAt(t.d, o)})`;
  if (code === 53 && len >= 1 && t.avail(o, 1)) return ` (${MSG_TYPES.get(t.d[o]!) ?? `Unknown Message Type (0x${hex2(t.d[o]!)})`})`;
  return "";
}

function badLength(p: Packet, t: Tree, o: number, len: number, text: string): void {
  t.expert(p, ei.bad_length, o, len, text);
}

/** Wireshark's dhcp_handle_basic_types(): returns the bytes it decoded (0 when none). */
function basicType(p: Packet, t: Tree, kind: OptKind, o: number, len: number, f: F | undefined): number {
  const d = t.d;
  switch (kind) {
    case OptKind.BYTES:
      if (f) t.bytes(f, o, len);
      return len;
    case OptKind.IPV4:
      if (len !== 4) {
        badLength(p, t, o, len, "length isn't 4");
        return 0;
      }
      if (f) t.ipv4(f, o);
      return 4;
    case OptKind.IPV4_LIST: {
      let n = 0;
      for (let i = o, left = len; left > 0; i += 4, left -= 4) {
        if (left < 4) {
          badLength(p, t, o, len, "Option length isn't a multiple of 4");
          break;
        }
        if (f) t.ipv4(f, i);
        n += 4;
      }
      return n;
    }
    case OptKind.STRING:
      if (f) strField(t, f, o, len);
      return len;
    case OptKind.BOOL:
      if (len !== 1) {
        badLength(p, t, o, len, "length isn't 1");
        return 0;
      }
      t.check(o, 1);
      if (f) t.bool(f, o, 1, d[o]!);
      return 1;
    case OptKind.U8:
      if (len !== 1) {
        badLength(p, t, o, len, "length isn't 1");
        return 0;
      }
      t.check(o, 1);
      if (f) t.uint(f, o, 1, d[o]!);
      return 1;
    case OptKind.U16:
      if (len !== 2) {
        badLength(p, t, o, len, "length isn't 2");
        return 0;
      }
      t.check(o, 2);
      if (f) t.uint(f, o, 2, u16(d, o));
      return 2;
    case OptKind.U16_LIST: {
      let n = 0;
      for (let i = o, left = len; left > 0; i += 2, left -= 2) {
        if (left < 2) {
          badLength(p, t, o, len, "Option length isn't a multiple of 2");
          break;
        }
        t.check(i, 2);
        if (f) t.uint(f, i, 2, u16(d, i));
        n += 2;
      }
      return n;
    }
    case OptKind.U32:
    case OptKind.TIME_S:
    case OptKind.TIME_U: {
      if (len !== 4) {
        badLength(p, t, o, len, "length isn't 4");
        return 0;
      }
      t.check(o, 4);
      const raw = u32(d, o);
      if (!f) return 4;
      if (kind === OptKind.TIME_S) {
        const s = raw | 0;
        t.num(f, s);
        if (t.full) t.label(`${f.name}: (${s}s) ${s < 0 ? "-" + timeSecsText(-s) : timeSecsText(s)}`);
      } else {
        t.uint(f, o, 4, raw);
        if (t.full && kind === OptKind.TIME_U) t.label(`${f.name}: (${raw}s) ${raw === 0xffffffff ? "infinity" : timeSecsText(raw)}`);
      }
      return 4;
    }
    default:
      return 0;
  }
}

/** Options with their own decoder below; the rest show only type, length and value. */
const DECODED = new Set([21, 33, 43, 52, 53, 55, 60, 61, 63, 77, 78, 79, 81, 82, 85, 90, 93, 94, 97, 99, 117, 119, 120, 121, 124,
  114, 125, 145, 146, 158, 159, 160, 212, 249]);

function specialOption(p: Packet, t: Tree, code: number, o: number, len: number, main: boolean): void {
  const d = t.d;
  const end = o + len;
  switch (code) {
    case 21: case 33: {
      const a = code === 21 ? hf.option_policy_filter_ip : hf.option_static_route_ip;
      const b = code === 21 ? hf.option_policy_filter_subnet_mask : hf.option_static_route_router;
      let i = o;
      for (; end - i >= 8; i += 8) {
        t.ipv4(a, i);
        t.ipv4(b, i + 4);
      }
      if (end - i > 0) badLength(p, t, o, len, "Option length isn't a multiple of 8");
      break;
    }
    case 43:
      // Vendor heuristics (PXE, CableLabs, Aruba, ...) are not decoded: the data stays raw.
      t.bytes(hf.option_vendor_value, o, len);
      break;
    case 52: {
      if (len < 1) {
        badLength(p, t, o, len, "length isn't >= 1");
        break;
      }
      t.check(o, 1);
      const byte = d[o]!;
      t.uint(hf.option_option_overload, o, 1, byte);
      if (main && msg.overload >= 1 && msg.overload <= 3) {
        const base = msg.base;
        if (byte & OVERLOAD_SNAME) overloadArea(p, t, base + SNAME, base + SNAME + SNAME_LEN, "Server host name option overload", ei.sname_end_missing);
        if (byte & OVERLOAD_FILE) overloadArea(p, t, base + FILE, base + FILE + FILE_LEN, "Boot file name option overload", ei.file_end_missing);
        msg.overload = 0;
      }
      break;
    }
    case 53:
      t.check(o, 1);
      t.uint(hf.option_dhcp, o, 1, d[o]!);
      break;
    case 55:
      for (let i = o; i < end; i++) {
        t.check(i, 1);
        const b = d[i]!;
        t.uint(hf.option_request_list_item, i, 1, b);
        if (t.full) t.label(`Parameter Request List Item: (${b}) ${OPTIONS[b]!.name}`);
      }
      break;
    case 60:
      // The vendor class heuristics (PacketCable, Apple BSDP) are not decoded.
      strField(t, hf.option_vendor_class_id, o, len);
      break;
    case 61: case 97:
      clientIdentifier(p, t, o, len, code === 97);
      break;
    case 63:
      for (let i = o; end - i > 0;) i = novellSuboption(p, t, i, end);
      break;
    case 77:
      userClass(p, t, o, len);
      break;
    case 78: {
      if (len < 1) {
        badLength(p, t, o, len, "length isn't >= 1");
        break;
      }
      t.check(o, 1);
      const b = d[o]!;
      t.uint(hf.option_slp_directory_agent_value, o, 1, b);
      let i = o + 1;
      if (b === 0x80) {
        if (end - i === 0) break;
        i++;
      }
      for (; end - i >= 4; i += 4) t.ipv4(hf.option_slp_directory_agent_slpda_address, i);
      if (end - i > 0) badLength(p, t, o, len, "Option length isn't a multiple of 4");
      break;
    }
    case 79:
      t.check(o, 1);
      t.uint(hf.option_slp_service_scope_value, o, 1, d[o]!);
      strField(t, hf.option_slp_service_scope_string, o + 1, len - 1);
      break;
    case 81:
      clientFqdn(p, t, o, len);
      break;
    case 82:
      for (let i = o; end - i > 0;) i = agentInfo(p, t, i, end);
      break;
    case 85: {
      let i = o;
      for (; end - i >= 4; i += 4) t.ipv4(hf.option_novell_dss_ip, i);
      if (end - i > 0) badLength(p, t, o, len, "Option length isn't a multiple of 4");
      break;
    }
    case 90:
      authentication(p, t, o, len);
      break;
    case 93: {
      let i = o;
      for (; end - i > 1; i += 2) {
        t.check(i, 2);
        const arch = u16(d, i);
        t.uint(hf.option_client_system_architecture, i, 2, arch);
        if (arch === 9) t.expert(p, ei.arch_ambiguous, i, 2, "Client Architecture ID 9 is often incorrectly used for EFI x64");
      }
      if (end - i > 0) badLength(p, t, o, len, "Option length isn't a multiple of 2");
      break;
    }
    case 94: {
      t.check(o, 1);
      if (d[o] === 1) {
        t.check(o + 1, 1);
        t.uint(hf.client_network_id_major, o + 1, 1, d[o + 1]!);
        t.check(o + 2, 1);
        t.uint(hf.client_network_id_minor, o + 2, 1, d[o + 2]!);
      }
      break;
    }
    case 99:
      civicLocation(p, t, o, len);
      break;
    case 117: {
      if (len < 2) {
        badLength(p, t, o, len, "length isn't >= 2");
        break;
      }
      if (len & 1) {
        badLength(p, t, o, len, `length (${len}) isn't even number`);
        break;
      }
      const names: Record<number, string> = {
        0: "Local naming information (e.g., an /etc/hosts file on a UNIX machine) (0)", 6: "Domain Name Server Option (6)",
        41: "Network Information Servers Option (41)", 44: "NetBIOS over TCP/IP Name Server Option (44)",
        65: "Network Information Service+ Servers Option (65)",
      };
      for (let i = o; i < end; i += 2) {
        t.check(i, 2);
        const ns = u16(d, i);
        const s = names[ns];
        if (s !== undefined) t.str(hf.option_dhcp_name_service_search_option, i, 2, s);
        else t.expert(p, ei.name_service_invalid, i, 2, `Invalid Name Service (${ns}). RFC 2937 defines only 0, 6, 41, 44, and 65 as possible values.`);
      }
      break;
    }
    case 119:
      domainSearch(t, o, len);
      break;
    case 120:
      sipServers(p, t, o, len);
      break;
    case 121: case 249:
      classlessRoutes(p, t, o, len);
      break;
    case 124: {
      if (len === 1) {
        t.check(o, 1);
        t.uint(hf.option_vi_class_cl_address_mode, o, 1, d[o]!);
        break;
      }
      let i = o;
      while (end - i >= 5) {
        t.check(i, 4);
        t.uint(hf.option_vi_class_enterprise, i, 4, u32(d, i));
        i += 4;
        t.check(i, 1);
        const n = d[i]!;
        t.uint(hf.option_vi_class_length, i, 1, n);
        i++;
        strField(t, hf.option_vi_class_data, i, n);
        i += n;
      }
      if (end - i > 0) badLength(p, t, o, len, "length < 5");
      break;
    }
    case 125: {
      // Per enterprise: generic "suboption, length, data" triples. CableLabs' and TR-111's own
      // suboption decoders are not implemented; their data shows as dhcp.vendor.data.
      let i = o;
      while (end - i >= 5) {
        t.check(i, 4);
        t.uint(hf.option_vi_enterprise, i, 4, u32(d, i));
        t.down();
        i += 4;
        t.check(i, 1);
        const n = d[i]!;
        t.uint(hf.option_vi_length, i, 1, n);
        i++;
        const entEnd = i + n;
        const enterprise = u32(d, i - 5);
        t.enter(entEnd);
        while (i < entEnd) i = enterprise === 4491 ? viCableLabs(p, t, i, entEnd) : enterprise === 3561 ? viTr111(p, t, i, entEnd) : viGeneric(t, i);
        t.leave();
        t.up();
      }
      if (end - i > 0) badLength(p, t, o, len, "length < 5");
      break;
    }
    case 145:
      for (let i = o; i < end; i++) {
        t.check(i, 1);
        t.uint(hf.option_forcerenew_nonce_algorithm, i, 1, d[i]!);
      }
      break;
    case 146: {
      if (len < 10) {
        badLength(p, t, o, len, "length must be >= 10");
        break;
      }
      t.check(o, 1);
      t.uint(hf.option_rdnss_reserved, o, 1, d[o]!);
      t.uint(hf.option_rdnss_preference, o, 1, d[o]!);
      t.ipv4(hf.option_rdnss_primary_dns, o + 1);
      t.ipv4(hf.option_rdnss_secondary_dns, o + 5);
      const used = walkName(t, o + 9, o + 9, end - (o + 9));
      if (t.wants(hf.option_rdnss_domain)) t.str(hf.option_rdnss_domain, o + 9, Math.min(used, end - (o + 9)), nameText());
      break;
    }
    case 158: {
      if (len < 5) {
        badLength(p, t, o, len, "length must >= 5");
        break;
      }
      let i = o;
      while (end - i >= 5) {
        t.check(i, 1);
        const listLen = d[i]!;
        t.text("PCP server list", i, listLen);
        t.down();
        t.uint(hf.option_pcp_list_length, i, 1, listLen);
        i++;
        let ipLen = 1;
        while ((listLen - 1) % 4 === 0 && ipLen < listLen && end - i >= 4) {
          t.ipv4(hf.option_pcp_server, i);
          i += 4;
          ipLen += 4;
        }
        t.up();
      }
      break;
    }
    case 159: {
      if (len !== 4) {
        badLength(p, t, o, len, "length must be 4");
        break;
      }
      t.check(o, 4);
      t.uint(hf.option_portparams_offset, o, 1, d[o]!);
      t.uint(hf.option_portparams_psid_length, o + 1, 1, d[o + 1]!);
      t.bytes(hf.option_portparams_psid, o + 2, 2);
      break;
    }
    case 114: case 160:
      strField(t, hf.option_captive_portal, o, len);
      break;
    case 212: {
      if (len < 22) {
        t.expert(p, ei.sixrd_malformed, o, len);
        break;
      }
      t.check(o, 2);
      t.uint(hf.option_6RD_ipv4_mask_len, o, 1, d[o]!);
      t.uint(hf.option_6RD_prefix_len, o + 1, 1, d[o + 1]!);
      t.ipv6(hf.option_6RD_prefix, o + 2);
      t.ipv4(hf.option_6RD_border_relay_ip, o + 18);
      if (len > 22) {
        let i = o + 22;
        for (; end - i >= 4; i += 4) t.ipv4(hf.option_6RD_border_relay_ip, i);
        if (end - i > 0) badLength(p, t, o, len, "Option length isn't a multiple of 4");
      }
      break;
    }
    default:
      // Options without a decoder keep only type, length and value (dhcp.option.value).
      break;
  }
}

/** Option 125, unknown enterprise: "suboption, length, data". */
function viGeneric(t: Tree, i: number): number {
  const d = t.d;
  t.check(i, 1);
  t.uint(hf.vendor_suboption, i, 1, d[i]!);
  t.down();
  t.check(i + 1, 1);
  const n = d[i + 1]!;
  t.uint(hf.option_suboption_length, i + 1, 1, n);
  t.bytes(hf.vendor_data, i + 2, n);
  t.up();
  return i + 2 + n;
}

/** Suboption header shared by the enterprise decoders; returns the length or -1 when cut short. */
function viSubHeader(p: Packet, t: Tree, f: F, i: number, end: number): number {
  const d = t.d;
  t.check(i, 1);
  const sub = d[i]!;
  if (end - (i + 1) < 1) {
    t.expert(p, ei.missing_subopt_length, i, 1, `Suboption ${sub}: no room left in option for suboption length`);
    return -1;
  }
  const n = d[i + 1]!;
  t.uint(f, i, 1, sub);
  t.down();
  t.uint(hf.option_suboption_length, i + 1, 1, n);
  if (end - (i + 2) < n) {
    t.expert(p, ei.missing_subopt_value, i, 2, `Suboption ${sub}: no room left in option for suboption value`);
    t.up();
    return -1;
  }
  return n;
}

/** Option 125, CableLabs (4491). The DOCSIS modem-capability breakdown is not decoded. */
function viCableLabs(p: Packet, t: Tree, i: number, end: number): number {
  const d = t.d;
  const n = viSubHeader(p, t, hf.option_vi_cl_suboption, i, end);
  if (n < 0) return end;
  const o = i + 2;
  switch (d[i]) {
    case 1: {
      // Wireshark shows these bytes space-separated ("01 02"); arpx has no such bytes display.
      t.check(o, n);
      if (t.wants(hf.option_vi_cl_option_request)) {
        let s = "";
        for (let k = 0; k < n; k++) s += (k ? " " : "") + hex2(d[o + k]!);
        t.str(hf.option_vi_cl_option_request, o, n, s);
      }
      break;
    }
    case 2: basicType(p, t, OptKind.IPV4_LIST, o, n, hf.option_vi_cl_tftp_server_addresses); break;
    case 3: t.bytes(hf.option_vi_cl_erouter_container_option, o, n); break;
    case 4: basicType(p, t, OptKind.U8, o, n, hf.option_vi_cl_suboption); break;
    case 5: t.bytes(hf.option_vi_cl_modem_capabilities, o, n); break;
  }
  t.up();
  return o + n;
}

/** Option 125, Broadband Forum TR-111 (3561). */
function viTr111(p: Packet, t: Tree, i: number, end: number): number {
  const d = t.d;
  const n = viSubHeader(p, t, hf.option_vi_tr111_suboption, i, end);
  if (n < 0) return end;
  const o = i + 2;
  const sub = d[i]!;
  t.up();
  t.bytes(hf.option_vi_value, o, n);
  t.down();
  if (sub === 1) {
    t.check(o, n);
    const hex = /^[0-9a-fA-F]+/.exec(asciiString(d, o, n));
    t.uint(hf.option_vi_tr111_device_manufacturer_oui, o, n, hex ? parseInt(hex[0], 16) & 0xffffff : 0);
  } else if (sub >= 2 && sub <= 6) {
    const f = [hf.option_vi_tr111_device_serial_number, hf.option_vi_tr111_device_product_class, hf.option_vi_tr111_gateway_manufacturer_oui,
      hf.option_vi_tr111_gateway_serial_number, hf.option_vi_tr111_gateway_product_class][sub - 2]!;
    strField(t, f, o, n);
  }
  t.up();
  return o + n;
}

/** Option 63 (RFC 2242) suboption at `i`; returns where the next one starts. */
function novellSuboption(p: Packet, t: Tree, i: number, end: number): number {
  const d = t.d;
  const start = i;
  t.check(i, 1);
  const sub = d[i]!;
  i++;
  if (i >= end) {
    t.expert(p, ei.missing_subopt_length, start, 1, `Suboption ${sub}: no room left in option for suboption length`);
    return end;
  }
  t.check(i, 1);
  const n = d[i]!;
  t.uint(hf.option_novell_options_suboption, start, 1, sub);
  t.down();
  t.uint(hf.option_suboption_length, i, 1, n);
  i++;
  t.bytes(hf.option_novell_options_value, i, n);
  if (sub === 0) t.bytes(hf.option_novell_options_value, i, n);
  else if (sub >= 1 && sub <= 4) {
    if (n !== 0) badLength(p, t, start, n + 2, "length isn't 0");
  } else if (sub === 5) basicType(p, t, OptKind.BOOL, i, n, hf.option_novell_options_broadcast);
  else if (sub === 6) basicType(p, t, OptKind.IPV4_LIST, i, n, hf.option_novell_options_preferred_dss_server);
  else if (sub === 7) basicType(p, t, OptKind.IPV4_LIST, i, n, hf.option_novell_options_nearest_nwip_server);
  else if (sub === 8) basicType(p, t, OptKind.U8, i, n, hf.option_novell_options_autoretries);
  else if (sub === 9) basicType(p, t, OptKind.U8, i, n, hf.option_novell_options_autoretry_delay);
  else if (sub === 10) basicType(p, t, OptKind.BOOL, i, n, hf.option_novell_options_support_netware_v1_1);
  else if (sub === 11) basicType(p, t, OptKind.IPV4, i, n, hf.option_novell_options_primary_dss);
  t.up();
  return start + n + 2;
}

function overloadArea(p: Packet, t: Tree, from: number, to: number, title: string, missing: typeof ei.sname_end_missing): void {
  if (t.full) t.text(title, from, to - from);
  t.down();
  const end = { at: false };
  for (let v = from; v < to && !end.at;) v += dissectOption(p, t, v, to, end, false);
  if (!end.at) t.expert(p, missing, from, to - from);
  t.up();
}

function clientIdentifier(p: Packet, t: Tree, o: number, len: number, uuidOption: boolean): void {
  const d = t.d;
  let byte = 0;
  if (len > 0) {
    t.check(o, 1);
    byte = d[o]!;
  }
  if (len === 7 && byte > 0 && byte < 48) {
    t.uint(hf.hw_type, o, 1, byte);
    if (byte === ARPHRD_ETHER || byte === ARPHRD_IEEE802) t.ether(hf.hw_mac_addr, o + 1);
    else {
      t.check(o + 1, 6);
      if (t.wants(hf.client_hardware_address)) t.str(hf.client_hardware_address, o + 1, 6, hwAddrText(d, o + 1, 6, byte));
    }
    return;
  }
  if (len === 17 && byte === 0) return; // UUID (FT_GUID): not decoded by arpx
  if (uuidOption) return;
  if (byte === 255) {
    t.check(o + 1, 4);
    if (t.wants(hf.client_id_iaid)) t.str(hf.client_id_iaid, o + 1, 4, bytesText(d, o + 1, 4));
    const x = o + 5;
    t.check(x, 2);
    const duid = u16(d, x);
    t.uint(hf.client_id_duid_type, x, 2, duid);
    if (duid === 1) {
      if (len < 8) {
        t.expert(p, ei.malformed_duid, o, len);
        return;
      }
      t.check(x + 2, 2);
      const hw = u16(d, x + 2);
      t.uint(hf.client_id_duid_llt_hw_type, x + 2, 2, hw);
      t.check(x + 4, 4);
      t.uint(hf.client_id_time, x + 4, 4, u32(d, x + 4));
      if (len > 8) {
        const n = len - 13;
        if (n < 0) throw MALFORMED;
        t.check(x + 8, n);
        if (t.wants(hf.client_id_link_layer_address)) t.str(hf.client_id_link_layer_address, x + 8, n, hwAddrText(d, x + 8, n, hw));
      }
    } else if (duid === 2) {
      if (len < 6) {
        t.expert(p, ei.malformed_duid, o, len);
        return;
      }
      t.check(x + 2, 4);
      t.uint(hf.client_id_enterprise_num, x + 2, 4, u32(d, x + 2));
      if (len > 6) {
        if (len - 11 < 0) throw MALFORMED;
        t.bytes(hf.client_id, x + 6, len - 11);
      }
    } else if (duid === 3) {
      if (len < 4) {
        t.expert(p, ei.malformed_duid, o, len);
        return;
      }
      t.check(x + 2, 2);
      const hw = u16(d, x + 2);
      t.uint(hf.client_id_duid_ll_hw_type, x + 2, 2, hw);
      if (len > 4) {
        const n = len - 9;
        if (n < 0) throw MALFORMED;
        t.check(x + 4, n);
        if (t.wants(hf.client_id_link_layer_address)) t.str(hf.client_id_link_layer_address, x + 4, n, hwAddrText(d, x + 4, n, hw));
      }
    }
    return;
  }
  if (byte === 0 && len > 1) {
    t.uint(hf.client_id_type, o, 1, 0);
    strField(t, hf.client_id_undef, o + 1, len - 1);
  }
}

function startsWith(d: Uint8Array, o: number, end: number, s: string): boolean {
  if (o + s.length > end) return false;
  for (let i = 0; i < s.length; i++) if (d[o + i] !== s.charCodeAt(i)) return false;
  return true;
}

/** Option 77 (RFC 3004): length-prefixed user class instances. */
function userClass(p: Packet, t: Tree, o: number, len: number): void {
  const d = t.d;
  const end = o + len;
  if (len < 2) {
    badLength(p, t, o, len, "length isn't >= 2");
    return;
  }
  if (startsWith(d, o, end, "iPXE") || startsWith(d, o, end, "RRAS.Microsoft")) {
    // Known non-conformant senders put plain text here instead of length-prefixed instances.
    strField(t, hf.option_user_class_text, o, len);
    t.expert(p, ei.nonstd_data, o, len);
    return;
  }
  for (let i = o, idx = 0; end - i > 0; idx++) {
    t.uint(hf.option_user_class, i, 1, idx & 0xff);
    if (t.full) t.label(`Instance of User Class: [${idx & 0xff}]`);
    t.down();
    let n: number;
    {
      t.check(i, 1);
      n = d[i]!;
      t.uint(hf.option_user_class_length, i, 1, n);
      i++;
      if (n === 0) {
        badLength(p, t, i - 1, 1, `UC_Len_${idx & 0xff} isn't >= 1 (UC_Len_${idx & 0xff} = 0)`);
        t.up();
        break;
      }
      t.bytes(hf.option_user_class_data, i, n);
    }
    t.up();
    i += n;
  }
}

/** Option 81 (RFC 4702): flags, two result codes and the client's name. */
function clientFqdn(p: Packet, t: Tree, o: number, len: number): void {
  const d = t.d;
  if (len < 3) {
    badLength(p, t, o, len, "length isn't >= 3");
    return;
  }
  t.check(o, 1);
  const flags = d[o]!;
  t.uint(hf.fqdn_flags, o, 1, flags);
  if (t.full) {
    let lbl = `Flags: 0x${hex2(flags)}`;
    if (flags & 0x08) lbl += ", Server DDNS";
    if (flags & 0x04) lbl += ", Encoding";
    if (flags & 0x02) lbl += ", Server overrides";
    if (flags & 0x01) lbl += ", Server";
    t.label(lbl);
  }
  t.down();
  t.uint(hf.fqdn_mbz, o, 1, flags);
  t.bool(hf.fqdn_n, o, 1, flags);
  t.bool(hf.fqdn_e, o, 1, flags);
  t.bool(hf.fqdn_o, o, 1, flags);
  t.bool(hf.fqdn_s, o, 1, flags);
  t.up();
  t.check(o + 1, 2);
  t.uint(hf.fqdn_rcode1, o + 1, 1, d[o + 1]!);
  t.uint(hf.fqdn_rcode2, o + 2, 1, d[o + 2]!);
  if (len > 3) {
    if (flags & 0x04) {
      walkName(t, o + 3, o + 3, len - 3);
      if (t.wants(hf.fqdn_name)) t.str(hf.fqdn_name, o + 3, len - 3, nameText());
    } else strField(t, hf.fqdn_name, o + 3, len - 3);
  }
}

/** Option 82 (RFC 3046) suboption at `i`; returns where the next one starts. */
function agentInfo(p: Packet, t: Tree, i: number, end: number): number {
  const d = t.d;
  const start = i;
  t.check(i, 1);
  const sub = d[i]!;
  i++;
  if (i >= end) {
    t.expert(p, ei.missing_subopt_length, start, 1, `Suboption ${sub}: no room left in option for suboption length`);
    return end;
  }
  t.check(i, 1);
  const n = d[i]!;
  t.uint(hf.option_agent_information_option_suboption, start, 1, sub);
  if (t.full) t.label(`Option 82 Suboption: (${sub}) ${AGENT_SUBOPTS.get(sub) ?? "Unknown"}`);
  t.down();
  t.uint(hf.option_suboption_length, i, 1, n);
  i++;
  const subEnd = i + n;
  if (subEnd > end) {
    t.expert(p, ei.missing_subopt_value, start, 2, `Suboption ${sub}: no room left in option for suboption value`);
    t.up();
    return end;
  }
  t.bytes(hf.option_agent_information_option_value, i, n);
  const fields: Record<number, F> = {
    1: hf.option_agent_information_option_agent_circuit_id, 2: hf.option_agent_information_option_agent_remote_id,
    3: hf.option_agent_information_option_reserved, 7: hf.option_agent_information_option_radius_attributes,
    8: hf.option_agent_information_option_authentication, 12: hf.option_agent_information_option_relay_agent_id,
  };
  const ipv4s: Record<number, F> = {
    5: hf.option_agent_information_option_link_selection, 11: hf.option_agent_information_option_server_id_override,
    150: hf.option_agent_information_option_link_selection_cisco, 152: hf.option_agent_information_option_server_id_override_cisco,
  };
  if (sub === 0) {
    // padding: the value only
  } else if (fields[sub]) t.bytes(fields[sub]!, i, n);
  else if (ipv4s[sub]) basicType(p, t, OptKind.IPV4, i, n, ipv4s[sub]);
  else if (sub === 4) basicType(p, t, OptKind.U32, i, n, hf.option_agent_information_option_docsis_device_class);
  else if (sub === 6) basicType(p, t, OptKind.STRING, i, n, hf.option_agent_information_option_subscriber_id);
  else if (sub === 10) basicType(p, t, OptKind.U8, i, n, hf.option_agent_information_option_flags);
  else if (sub === 9) {
    // Vendor-specific (RFC 4243): enterprise, length, data. CableLabs' DOCSIS/DPoE decoding is not done.
    for (let k = i; k < subEnd;) {
      t.check(k, 4);
      t.uint(hf.option_agent_information_option_vi_enterprise, k, 4, u32(d, k));
      k += 4;
      t.check(k, 1);
      const len = d[k]!;
      t.down();
      t.uint(hf.option_agent_information_option_vi_data_length, k, 1, len);
      t.up();
      k++;
      // CableLabs (4491) data is DOCSIS/DPoE version TLVs, which arpx does not break down.
      if (u32(d, k - 5) !== 4491) t.bytes(hf.option_agent_information_option_value, k, len);
      else t.check(k, len);
      k += len;
    }
  } else if (sub === 151) {
    if (n === 1) {
      t.check(i, 1);
      t.uint(hf.option_agent_information_option_vrf_name_global, i, 1, d[i]!);
    } else if (n !== 7) strField(t, hf.option_agent_information_option_vrf_name, i, n);
    else {
      t.check(i, 7);
      t.uint(hf.option_agent_information_option_vrf_name_vpn_id_oui, i, 3, (d[i]! << 16) | (d[i + 1]! << 8) | d[i + 2]!);
      t.uint(hf.option_agent_information_option_vrf_name_vpn_id_index, i + 3, 4, u32(d, i + 3));
    }
  }
  if (n === 0 && sub !== 0 && sub !== 9 && sub !== 151 && AGENT_SUBOPTS.has(sub)) {
    t.expert(p, ei.subopt_unknown_type, start, 2, `ERROR, please report: Unknown subopt type handler ${sub}`);
  }
  t.up();
  return start + n + 2;
}

/** Option 90 (RFC 3118). */
function authentication(p: Packet, t: Tree, o: number, len: number): void {
  const d = t.d;
  const end = o + len;
  if (len < 11) {
    badLength(p, t, o, len, "length isn't >= 11");
    return;
  }
  t.check(o, 3);
  const protocol = d[o]!;
  t.uint(hf.option_dhcp_authentication_protocol, o, 1, protocol);
  const algorithm = d[o + 1]!;
  t.uint(protocol === 1 ? hf.option_dhcp_authentication_alg_delay : hf.option_dhcp_authentication_algorithm, o + 1, 1, algorithm);
  const rdm = d[o + 2]!;
  t.uint(hf.option_dhcp_authentication_rdm, o + 2, 1, rdm);
  let i = o + 3;
  if (rdm === 0) t.check(i, 8); // monotonic counter: a 64-bit value arpx does not record
  else strField(t, hf.option_dhcp_authentication_rdm_rdv, i, 8);
  i += 8;
  if (protocol === 1 && algorithm === 1) {
    if (msg.dhcpType === "Discover") return;
    if (end - i < 20) {
      badLength(p, t, o, len, "length isn't >= 20");
      return;
    }
    t.check(i, 4);
    t.uint(hf.option_dhcp_authentication_secret_id, i, 4, u32(d, i));
    t.bytes(hf.option_dhcp_authentication_hmac_md5_hash, i + 4, 16);
    return;
  }
  if (end - i === 0) return;
  strField(t, hf.option_dhcp_authentication_information, i, end - i);
}

/** Option 99 (RFC 4776). */
function civicLocation(p: Packet, t: Tree, o: number, len: number): void {
  const d = t.d;
  const end = o + len;
  if (len < 3) return;
  t.check(o, 1);
  t.uint(hf.option_civic_location_what, o, 1, d[o]!);
  strField(t, hf.option_civic_location_country, o + 1, 2);
  let i = o + 3;
  while (end - i >= 2) {
    t.check(i, 2);
    t.uint(hf.option_civic_location_ca_type, i, 1, d[i]!);
    const n = d[i + 1]!;
    t.uint(hf.option_civic_location_ca_length, i + 1, 1, n);
    i += 2;
    if (n === 0) continue;
    if (end - i >= n) {
      strField(t, hf.option_civic_location_ca_value, i, n);
      i += n;
    } else {
      t.expert(p, ei.civic_bad_cattype, o, len);
      break;
    }
  }
}

/**
 * Runs `fn` with the Tree reading `bytes` instead of the frame: options split over several blocks
 * (RFC 3396) are decoded from their concatenation, as Wireshark does with a composite buffer.
 */
function withJoined(t: Tree, bytes: Uint8Array, fn: () => void): void {
  const frame = t.d, cap = t.cap, rep = t.rep;
  t.d = bytes;
  t.cap = t.rep = bytes.length;
  try {
    fn();
  } finally {
    t.d = frame;
    t.cap = cap;
    t.rep = rep;
  }
}

function join(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const x of parts) n += x.length;
  const out = new Uint8Array(n);
  n = 0;
  for (const x of parts) {
    out.set(x, n);
    n += x.length;
  }
  return out;
}

/** Split-option bookkeeping: adds the RFC 3396 markers; returns whether this block is the last. */
function splitBlock(t: Tree, o: number, len: number, index: number, blocks: number, parts: Uint8Array[], detected: F, refer: F): boolean {
  if (blocks > 1) {
    t.str(detected, o, len, `${index}/${blocks}`);
    if (index !== blocks) t.str(refer, o, len, `${blocks}/${blocks}`);
  }
  if (len) parts.push(t.d.slice(o, o + len));
  return index === blocks && parts.length > 0;
}

const searchParts: Uint8Array[] = [];
const sipParts: Uint8Array[] = [];

/** Option 119 (RFC 3397): compressed domain names, possibly split over several options. */
function domainSearch(t: Tree, o: number, len: number): void {
  if (++msg.searchIndex === 1) searchParts.length = 0;
  if (!splitBlock(t, o, len, msg.searchIndex, msg.searchBlocks, searchParts, hf.option_dhcp_dns_domain_search_list_rfc_3396_detected,
    hf.option_dhcp_dns_domain_search_list_refer_last_option)) return;
  const names = (base: number, total: number): void => {
    for (let i = base; i < base + total;) {
      const used = walkName(t, i, base, total);
      if (t.wants(hf.option_dhcp_dns_domain_search_list_fqdn)) t.str(hf.option_dhcp_dns_domain_search_list_fqdn, i, 0, nameText());
      i += used;
    }
  };
  if (msg.searchBlocks === 1) names(o, len);
  else {
    const joined = join(searchParts);
    withJoined(t, joined, () => names(0, joined.length));
  }
}

/** Option 120 (RFC 3361): SIP servers as names or addresses, possibly split over several options. */
function sipServers(p: Packet, t: Tree, o: number, len: number): void {
  if (++msg.sipIndex === 1) sipParts.length = 0;
  if (!splitBlock(t, o, len, msg.sipIndex, msg.sipBlocks, sipParts, hf.option_sip_server_rfc_3396_detected,
    hf.option_sip_server_refer_last_option)) return;
  const servers = (base: number, total: number): void => {
    const d = t.d;
    t.check(base, 1);
    const enc = d[base]!;
    t.uint(hf.option_sip_server_encoding, base, 1, enc);
    if (enc === 0) {
      if (total < 3) {
        badLength(p, t, base, total, `length isn't >= 3 (len = ${total})`);
        return;
      }
      for (let i = base + 1; i < base + total;) {
        const used = walkName(t, i, base + 1, total);
        if (t.wants(hf.option_sip_server_name)) t.str(hf.option_sip_server_name, i, 0, nameText());
        i += used;
      }
    } else if (enc === 1) {
      if (total < 5) {
        badLength(p, t, base, total, `length isn't >= 5 (len = ${total})`);
        return;
      }
      if ((total - 1) & 3) {
        badLength(p, t, base, total, `length isn't a multiple of 4 plus 1 (len = ${total}).`);
        return;
      }
      for (let i = base + 1; i < base + total; i += 4) t.ipv4(hf.option_sip_server_address, i);
    } else t.expert(p, ei.sip_encoding, base, total, `RFC 3361 defines only 0 and 1 for Encoding byte (Encoding = ${enc}).`);
  };
  if (msg.sipBlocks === 1) servers(o, len);
  else {
    const joined = join(sipParts);
    withJoined(t, joined, () => servers(0, joined.length));
  }
}

/** Options 121 and 249 (RFC 3442): "width, significant octets, router" entries. */
function classlessRoutes(p: Packet, t: Tree, o: number, len: number): void {
  const d = t.d;
  const end = o + len;
  if (len < 5) {
    badLength(p, t, o, len, "length isn't >= 5");
    return;
  }
  for (let i = o; end - i > 0;) {
    t.check(i, 1);
    const width = d[i]!;
    if (width > 32) {
      t.expert(p, ei.classless_route, i, 1, `Mask width (${width}) > 32`);
      break;
    }
    const sig = (width + 7) >> 3;
    t.bytes(hf.option_classless_static_route, i, 1 + sig + 4);
    if (t.full) {
      let s = width === 0 ? "default" : "";
      if (width) {
        for (let k = 0; k < 4; k++) s += (k ? "." : "") + (k < sig ? d[i + 1 + k]! : 0);
        s += `/${width}`;
      }
      t.label(`Subnet/MaskWidth-Router: ${s}-${ipv4StringAt(d, i + 1 + sig)}`);
    }
    i += 1 + sig + 4;
  }
}

udpPorts.add(67, dissectDhcp);
udpPorts.add(68, dissectDhcp);


// ---- building ----

const OPT_PAD = 0, OPT_END = 255, OPT_MESSAGE_TYPE = 53;
/** RFC 1542 3.1.1: BOOTP messages are padded to at least 300 bytes (a 64-byte vendor area). */
const MIN_MESSAGE = 300;

export interface DhcpOptionRepr {
  code: number;
  data: Uint8Array;
}

export interface DhcpRepr {
  /** 1 BOOTREQUEST (client to server), 2 BOOTREPLY. */
  op: 1 | 2;
  xid: number;
  /** Client MAC (48-bit number); htype 1, hlen 6. */
  chaddr: number;
  /** IPv4 addresses as unsigned 32-bit numbers (default 0). */
  ciaddr?: number;
  yiaddr?: number;
  siaddr?: number;
  giaddr?: number;
  secs?: number;
  broadcast?: boolean;
  /** Options after the magic cookie; a Message Type (53) is moved first, End is appended. */
  options: DhcpOptionRepr[];
}

/**
 * A DHCP message as a build layer (the mirror of dissectDhcp): fixed BOOTP header with empty
 * sname/file, magic cookie, the options (message type first) and End, zero-padded (Pad options)
 * to the 300-byte BOOTP minimum as DHCP clients send it.
 */
export function dhcpLayer(r: DhcpRepr): Layer {
  const msgType = r.options.filter((o) => o.code === OPT_MESSAGE_TYPE);
  const opts = [...msgType, ...r.options.filter((o) => o.code !== OPT_MESSAGE_TYPE)];
  let len = VENDOR + 4;
  for (const o of opts) {
    if (o.code === OPT_PAD || o.code === OPT_END || o.code < 0 || o.code > 255) throw new RangeError(`DHCP option code ${o.code} cannot be given (Pad and End are written by the layer)`);
    if (o.data.length > 255) throw new RangeError(`DHCP option ${o.code} has ${o.data.length} bytes of data, more than 255`);
    len += 2 + o.data.length;
  }
  len = Math.max(len + 1, MIN_MESSAGE);
  return {
    headerLen: len,
    emit(b, off) {
      b.fill(0, off, off + len);
      b[off + OP] = r.op;
      b[off + HTYPE] = ARPHRD_ETHER;
      b[off + HLEN] = 6;
      b[off + HOPS] = 0;
      putU32(b, off + XID, r.xid);
      putU16(b, off + SECS, r.secs ?? 0);
      putU16(b, off + FLAGS, r.broadcast ? BOOTP_BC : 0);
      putU32(b, off + CIADDR, r.ciaddr ?? 0);
      putU32(b, off + YIADDR, r.yiaddr ?? 0);
      putU32(b, off + SIADDR, r.siaddr ?? 0);
      putU32(b, off + GIADDR, r.giaddr ?? 0);
      putMac(b, off + CHADDR, r.chaddr);
      putU32(b, off + VENDOR, MAGIC_COOKIE);
      let o = off + VENDOR + 4;
      for (const opt of opts) {
        b[o] = opt.code;
        b[o + 1] = opt.data.length;
        b.set(opt.data, o + 2);
        o += 2 + opt.data.length;
      }
      b[o] = OPT_END;
    },
  };
}

function ipv4Bytes(...ips: number[]): Uint8Array {
  const b = new Uint8Array(4 * ips.length);
  ips.forEach((ip, i) => putU32(b, 4 * i, ip));
  return b;
}

/** Builders for the common options; IPv4 addresses are unsigned 32-bit numbers. */
export const dhcpOption = {
  /** 53: 1 Discover, 2 Offer, 3 Request, 4 Decline, 5 ACK, 6 NAK, 7 Release, 8 Inform. */
  messageType: (n: number): DhcpOptionRepr => ({ code: OPT_MESSAGE_TYPE, data: Uint8Array.of(n) }),
  /** 50 */
  requestedIp: (ip: number): DhcpOptionRepr => ({ code: 50, data: ipv4Bytes(ip) }),
  /** 54 */
  serverId: (ip: number): DhcpOptionRepr => ({ code: 54, data: ipv4Bytes(ip) }),
  /** 51, in seconds. */
  leaseTime: (s: number): DhcpOptionRepr => ({ code: 51, data: ipv4Bytes(s) }),
  /** 1 */
  subnetMask: (ip: number): DhcpOptionRepr => ({ code: 1, data: ipv4Bytes(ip) }),
  /** 3: one router or a list, in order of preference. */
  router: (ip: number | readonly number[]): DhcpOptionRepr => ({ code: 3, data: ipv4Bytes(...(typeof ip === "number" ? [ip] : ip)) }),
  /** 12 */
  hostname: (s: string): DhcpOptionRepr => ({ code: 12, data: new TextEncoder().encode(s) }),
  /** 55: the option codes the client asks for. */
  paramRequestList: (codes: readonly number[]): DhcpOptionRepr => ({ code: 55, data: Uint8Array.from(codes) }),
};

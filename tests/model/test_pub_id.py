from patentreach.model import make_pub_id, strip_leading_zeros
from patentreach.model.ipc import normalise_ipc


def test_pub_id_drops_leading_zeros_but_keeps_series_letters():
    assert make_pub_id("US", "07062920", "B2") == "US-7062920-B2"
    assert make_pub_id("us", "D0967598", "s1") == "US-D967598-S1"
    assert make_pub_id("US", "RE046000", "E1") == "US-RE46000-E1"
    assert make_pub_id("US", "PP018398", "P2") == "US-PP18398-P2"
    assert make_pub_id("US", "11646472", "B2") == "US-11646472-B2"


def test_strip_leading_zeros_keeps_a_lone_zero_digit():
    assert strip_leading_zeros("0000") == "0"


def test_ipc_symbols_from_every_printed_form_normalise_alike():
    assert normalise_ipc("A45F  504") == "A45F 5/04"  # USPTO edition-7 fixed width
    assert normalise_ipc("G06F 1730") == "G06F 17/30"
    assert normalise_ipc("A61K   9/16        20060101A I20051008RMEP") == "A61K 9/16"  # DOCDB
    assert normalise_ipc("H04N7/24") == "H04N 7/24"  # old OPS compact
    assert normalise_ipc("G01N 33/48") == "G01N 33/48"
    assert normalise_ipc("H01L") == "H01L"
    assert normalise_ipc("not a symbol") is None

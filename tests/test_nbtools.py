"""The notebook helpers the tests read outputs with."""
from tests.nbtools import output_text


def test_a_stream_flushed_in_pieces_reads_as_one_text():
    # under load the kernel may send one print() as two stream messages: "LEAK-CHECK:" then " None\n"
    cell = {"outputs": [{"output_type": "stream", "name": "stdout", "text": "LEAK-CHECK:"},
                        {"output_type": "stream", "name": "stdout", "text": " None\n"}]}
    assert "LEAK-CHECK: None" in output_text(cell)


def test_different_outputs_stay_on_separate_lines():
    cell = {"outputs": [{"output_type": "stream", "name": "stdout", "text": "a"},
                        {"output_type": "stream", "name": "stderr", "text": "b"},
                        {"output_type": "execute_result", "data": {"text/plain": "c"}},
                        {"output_type": "stream", "name": "stdout", "text": "d"},
                        {"output_type": "error", "ename": "E", "evalue": "v"}]}
    assert output_text(cell) == "a\nb\nc\nd\nE: v"
